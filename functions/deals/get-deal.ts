import { dealView } from '../../shared/deals/deal-view';
import { dealDeps } from '../../shared/deals/wiring';
import { getDeal } from '../../shared/deals/deal-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /deals/{id}: the deal with its stage history, and its ETag. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const { deal, history } = await getDeal(dealDeps, caller, pathParameters.id ?? '');
  return json(200, { ...dealView(deal), stageHistory: history }, { etag: `"${deal.version}"` });
});
