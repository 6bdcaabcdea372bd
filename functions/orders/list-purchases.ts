import { httpHandler, json } from '../../shared/http/http-handler';
import { listPurchases } from '../../shared/orders/order-use-cases';
import { purchasesView } from '../../shared/orders/purchases';
import { orderDeps } from '../../shared/orders/wiring';

/** GET /customers/{id}/purchases: every order line as a purchase, and the figures. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const { orders, summary } = await listPurchases(orderDeps, caller, pathParameters.id ?? '');
  return json(200, purchasesView(orders, summary));
});
