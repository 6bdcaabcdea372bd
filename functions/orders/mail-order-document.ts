import { eventHandler } from '../../shared/log-context';
import { mailOrderDocument } from '../../shared/orders/order-dispatch-use-case';
import { orderDispatchDeps } from '../../shared/orders/wiring';

/** On crm.order.status-changed.v1 to `dispatched`: the order document to the customer, once. */
export const handler = eventHandler(async (event: unknown) => mailOrderDocument(orderDispatchDeps, event));
