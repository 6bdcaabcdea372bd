import { createDealInput } from '../../shared/deals/deal';
import { dealView } from '../../shared/deals/deal-view';
import { dealDeps } from '../../shared/deals/wiring';
import { createDeal } from '../../shared/deals/deal-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /deals: a deal for a customer, in one transaction with the board aggregate and the customer's deal facts. */
export const handler = httpHandler({ body: createDealInput }, async ({ caller, body, requestId }) => {
  const deal = await createDeal(dealDeps, caller, body, requestId);
  return json(201, dealView(deal), { etag: `"${deal.version}"`, location: `/deals/${deal.id}` });
});
