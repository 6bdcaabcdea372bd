import { invoiceOverdueV1 } from '../../events/orders/invoice-overdue.v1';
import { type NamedItem, TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import { newEvent } from '../outbox/outbox';
import { formatAmount } from '../quotes/money';
import { isOverdue, markedOverdue, orderTotal, paidTotal } from './order';
import type { OrderRepository } from './order-repository';

/** Overdue invoices raised per run at most; the rest wait for the next run, still due. */
export const OVERDUE_PER_RUN = 100;
/** Every hour on prod and staging, once a day on dev-like stages (their idle budget, docs/cost.md): due dates are days. */
export const OVERDUE_SWEEP_MINUTES = { persistent: 60, devLike: 24 * 60 } as const;

export interface OverdueDeps {
  orders: Pick<OrderRepository, 'dueInvoices' | 'byKey' | 'replaceItems' | 'eventItem'>;
  write: (items: NamedItem[]) => Promise<void>;
}

/**
 * The overdue-invoice sweep: each invoiced order past its due date and still unpaid raises
 * `crm.invoice.overdue.v1` once, committed with its `overdueAt` over the version it read (which
 * also takes it out of the index). An order paid or cancelled meanwhile is left alone.
 */
export async function raiseOverdueInvoices(deps: OverdueDeps): Promise<{ raised: number; skipped: number }> {
  const nowIso = clock.nowIso();
  let raised = 0;
  let skipped = 0;
  for (const due of await deps.orders.dueInvoices(nowIso, OVERDUE_PER_RUN)) {
    const order = await deps.orders.byKey(due.key);
    if (!order || !isOverdue(order, nowIso)) {
      skipped += 1;
      continue;
    }
    const next = markedOverdue(order, nowIso);
    const detail = newEvent(invoiceOverdueV1, { tenantId: due.tenantId, actor: { type: 'system', id: 'invoice-sweep' }, correlationId: `invoice-overdue-${order.id}` }, {
      orderId: order.id, customerId: order.customerId, ownerId: order.ownerId, dueDate: order.invoice!.dueDate, currency: order.currency, balance: formatAmount(orderTotal(order) - paidTotal(order), order.currency),
    });
    try {
      await deps.write([
        ...deps.orders.replaceItems(due.tenantId, next, order.version),
        deps.orders.eventItem(due.tenantId, order.customerId, invoiceOverdueV1.detailType, detail),
      ]);
      raised += 1;
    } catch (error) {
      // Paid, cancelled or raised by another run meanwhile: its next read decides.
      if (!(error instanceof TransactionConditionFailed)) throw error;
      skipped += 1;
    }
  }
  return { raised, skipped };
}
