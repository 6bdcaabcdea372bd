import { dealPatch } from '../../shared/deals/deal';
import { dealView } from '../../shared/deals/deal-view';
import { dealDeps } from '../../shared/deals/wiring';
import { updateDeal } from '../../shared/deals/deal-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';

/** PATCH /deals/{id}: merge patch with If-Match; stage moves, won/lost with reason, explicit reopen. */
export const handler = httpHandler({ body: dealPatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const deal = await updateDeal(dealDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'deal'), requestId);
  return json(200, dealView(deal), { etag: `"${deal.version}"` });
});
