import { httpHandler, json } from '../../shared/http/http-handler';
import { deliveryView } from '../../shared/webhooks/webhook-delivery';
import { retryDelivery } from '../../shared/webhooks/webhook-use-cases';
import { webhookDeps } from '../../shared/webhooks/wiring';

/** POST /webhooks/{id}/deliveries/{deliveryId}/retry: sent again now; answers the attempt's outcome. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const delivery = await retryDelivery(webhookDeps, caller, pathParameters.id ?? '', pathParameters.deliveryId ?? '');
  return json(200, deliveryView(delivery));
});
