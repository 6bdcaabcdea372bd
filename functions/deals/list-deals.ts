import { parseDealListQuery, planDealList } from '../../shared/deals/deal-list-query';
import { dealView } from '../../shared/deals/deal-view';
import { dealLister } from '../../shared/deals/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /deals?owner=&status=&pipelineId=&stageId=&customerId=&limit=&cursor=: one Query per page. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const q = parseDealListQuery(query);
  const page = await dealLister.page(planDealList(q, caller), caller.tenantId, q.cursor);
  return json(200, { items: page.items.map(dealView), cursor: page.cursor });
});
