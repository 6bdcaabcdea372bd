import { httpHandler, json } from '../../shared/http/http-handler';
import { orderView, paymentInput } from '../../shared/orders/order';
import { payOrder } from '../../shared/orders/order-use-cases';
import { orderDeps } from '../../shared/orders/wiring';

/** POST /orders/{id}/payments: part or all of the balance of an invoiced order. */
export const handler = httpHandler({ body: paymentInput }, async ({ caller, body, pathParameters, requestId }) => {
  const order = await payOrder(orderDeps, caller, pathParameters.id ?? '', body, requestId);
  return json(200, orderView(order), { etag: `"${order.version}"` });
});
