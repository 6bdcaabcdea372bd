import { httpHandler, json } from '../../shared/http/http-handler';
import { orderView } from '../../shared/orders/order';
import { getOrder } from '../../shared/orders/order-use-cases';
import { orderDeps } from '../../shared/orders/wiring';

/** GET /orders/{id} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const order = await getOrder(orderDeps, caller, pathParameters.id ?? '');
  return json(200, orderView(order), { etag: `"${order.version}"` });
});
