import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';
import { cancelInput, invoiceInput, type OrderStep, orderView, stepInput } from '../../shared/orders/order';
import { stepOrder } from '../../shared/orders/order-use-cases';
import { orderDeps } from '../../shared/orders/wiring';

const BODIES = { dispatch: stepInput, deliver: stepInput, invoice: invoiceInput, cancel: cancelInput } as const;

/** One handler shape for the four steps of an order: the step's body, If-Match optional, the order answered. */
export function orderStepHandler(step: OrderStep) {
  return httpHandler({ body: BODIES[step] }, async ({ caller, body, pathParameters, headers, requestId }) => {
    const detail = body as { dueDate?: string; reason?: string };
    const order = await stepOrder(orderDeps, caller, pathParameters.id ?? '', step, detail, optionalVersionFromIfMatch(headers['if-match']), requestId);
    return json(200, orderView(order), { etag: `"${order.version}"` });
  });
}
