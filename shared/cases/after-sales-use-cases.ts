import type { Caller } from '../access/caller';
import { ValidationFailed } from '../errors';
import type { Order } from '../orders/order';
import { OrderNotFound } from '../orders/order-errors';
import { afterSalesCategory, mayWorkOnOrderCases, type OrderCaseInput, orderCaseLines } from './after-sales';
import type { Case } from './case';
import { type CaseDeps, commitNewCase } from './case-use-cases';

/**
 * After-sales consultation (docs/processes.md, "After-sales"): a question, complaint or return about
 * an order, opened as a service case linked to it through the same use case as every case (routing,
 * SLA, replies, resolution), and the order's cases listed.
 */

/** The order, when the caller may work on its cases; an unknown order and one they may not see look the same (404). */
async function visibleOrder(deps: Pick<CaseDeps, 'orders'>, caller: Caller, orderId: string): Promise<Order> {
  const order = await deps.orders.get(caller.tenantId, orderId);
  if (!order || !mayWorkOnOrderCases(caller, order)) throw new OrderNotFound(orderId);
  return order;
}

/**
 * POST /orders/{id}/cases: a case for the order's customer, of category `after-sales-<kind>`, in the
 * queue for routing. Whoever works on the order (its owner, managers, admins) and service agents.
 */
export async function openOrderCase(deps: CaseDeps, caller: Caller, orderId: string, input: OrderCaseInput, correlationId: string): Promise<Case> {
  const order = await visibleOrder(deps, caller, orderId);
  const lines = orderCaseLines(order, input.kind, input.lines);
  if (input.contactId && !(await deps.contacts.get(caller.tenantId, order.customerId, input.contactId))) {
    throw new ValidationFailed([{ path: 'contactId', message: "Not a contact of the order's customer" }]);
  }
  return commitNewCase(
    deps,
    caller,
    {
      customerId: order.customerId,
      contactId: input.contactId,
      subject: input.subject,
      description: input.description,
      priority: input.priority,
      category: afterSalesCategory(input.kind),
      channel: input.channel,
      language: input.language,
      orderId: order.id,
    },
    correlationId,
    (base) => ({ ...base, orderLines: lines }),
  );
}

/** GET /orders/{id}/cases: the order's cases, newest first, for whoever may open one. */
export async function listOrderCases(deps: Pick<CaseDeps, 'orders' | 'cases'>, caller: Caller, orderId: string): Promise<Case[]> {
  const order = await visibleOrder(deps, caller, orderId);
  return deps.cases.forOrder(caller.tenantId, order.customerId, order.id);
}
