import { httpHandler, json } from '../../shared/http/http-handler';
import { orderView, placeOrderInput } from '../../shared/orders/order';
import { placeOrder } from '../../shared/orders/order-use-cases';
import { orderDeps } from '../../shared/orders/wiring';

/** POST /orders: confirmed, from an accepted quote or lines of its own. */
export const handler = httpHandler({ body: placeOrderInput }, async ({ caller, body, requestId }) => {
  const order = await placeOrder(orderDeps, caller, body, requestId);
  return json(201, orderView(order), { etag: `"${order.version}"`, location: `/orders/${order.id}` });
});
