import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';
import { deliveryView } from '../../shared/webhooks/webhook-delivery';
import { DELIVERY_PAGE_SIZE, listDeliveries } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** GET /webhooks/{id}/deliveries: the delivery log, newest event first; admins. */
export const handler = httpHandler({}, async ({ caller, pathParameters, query }) => {
  const page = await listDeliveries(webhookDeps, caller, pathParameters.id ?? '', parseLimit(query.limit, DELIVERY_PAGE_SIZE.default, DELIVERY_PAGE_SIZE.max), query.cursor);
  return json(200, { items: page.items.map(deliveryView), cursor: page.cursor });
});
