import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import { ValidationFailed } from '../errors';
import { ULID_PATTERN } from '../id-formats';
import { amountText, currencyCode, formatAmount, formatPercent, formatQuantity, parseAmount, percent } from '../quotes/money';
import type { PricedLine } from '../quotes/quote-lines';
import { quoteLinesInput } from '../quotes/quote-lines';
import { quoteTotals, quoteTotalsView } from '../quotes/quote-totals';
import { OrderTransitionRefused } from './order-errors';

/**
 * Orders (docs/processes.md, "Orders"): what a customer bought, from an accepted quote or placed
 * directly, moving confirmed → dispatched → delivered → invoiced → paid, or cancelled; paid in
 * parts. Pure: schemas, the transitions, views.
 */

export const ORDER_STATUSES = ['confirmed', 'dispatched', 'delivered', 'invoiced', 'paid', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The steps a user takes, and the statuses each may start from. */
export const ORDER_STEPS = {
  dispatch: { from: ['confirmed'], to: 'dispatched' },
  deliver: { from: ['dispatched'], to: 'delivered' },
  invoice: { from: ['confirmed', 'dispatched', 'delivered'], to: 'invoiced' },
  cancel: { from: ['confirmed', 'dispatched', 'delivered'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;
export type OrderStep = keyof typeof ORDER_STEPS;

const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));

/** POST /orders: from a quote (its lines, prices and discount), or lines of its own. */
export const placeOrderInput = z
  .strictObject({
    customerId: recordId,
    quoteId: z.optional(recordId),
    currency: z.optional(currencyCode),
    lines: z.optional(quoteLinesInput),
    discountPercent: z.optional(percent),
  })
  .check(
    z.refine((o) => (o.quoteId === undefined) !== (o.lines === undefined), { message: 'Give either quoteId or lines (with currency)', path: ['lines'] }),
    z.refine((o) => o.lines === undefined || o.currency !== undefined, { message: 'Lines need their currency', path: ['currency'] }),
    z.refine((o) => o.quoteId === undefined || (o.currency === undefined && o.discountPercent === undefined), { message: 'An order from a quote takes its currency and discount from the quote', path: ['quoteId'] }),
  );
export type PlaceOrderInput = z.output<typeof placeOrderInput>;

/** Dispatching and delivering take no fields: `{}`. */
export const stepInput = z.strictObject({});
export const invoiceInput = z.strictObject({ dueDate: z.iso.date() });
export const cancelInput = z.strictObject({ reason: z.optional(z.string().check(z.maxLength(1000))) });
export const paymentInput = z.strictObject({
  amount: amountText,
  /** When the money arrived; now when absent. */
  paidAt: z.optional(z.iso.datetime({ offset: true })),
  reference: z.optional(z.string().check(z.maxLength(200))),
});
export type PaymentInput = z.output<typeof paymentInput>;

/** A confirmed order, nothing paid yet; from a quote it takes the quote's deal, lines, prices and discount. */
export function newOrder(fields: Pick<Order, 'id' | 'number' | 'customerId' | 'quoteId' | 'dealId' | 'ownerId' | 'currency' | 'lines' | 'discountPercent'>, by: string, nowIso: string): Order {
  return {
    ...fields,
    status: 'confirmed',
    dispatchedAt: null,
    deliveredAt: null,
    invoice: null,
    payments: [],
    overdueAt: null,
    cancelledAt: null,
    cancelReason: null,
    placedAt: nowIso,
    version: 1,
    updatedAt: nowIso,
    updatedBy: by,
  };
}

export interface Payment {
  id: string;
  /** Minor units. */
  amount: number;
  paidAt: string;
  reference: string | null;
  recordedBy: string;
}

export interface Order {
  id: string;
  /** O-<year>-<4+ digits>, counted per tenant and year. */
  number: string;
  customerId: string;
  quoteId: string | null;
  dealId: string | null;
  ownerId: string;
  currency: string;
  lines: PricedLine[];
  /** Basis points. */
  discountPercent: number;
  status: OrderStatus;
  dispatchedAt: string | null;
  deliveredAt: string | null;
  invoice: { issuedAt: string; dueDate: string } | null;
  payments: Payment[];
  /** When an overdue invoice was raised (once). */
  overdueAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  placedAt: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export const orderTotal = (order: Pick<Order, 'currency' | 'lines' | 'discountPercent'>): bigint =>
  quoteTotals({ currency: order.currency, lines: order.lines, discountPercent: order.discountPercent }).grandTotal;

export const paidTotal = (order: Pick<Order, 'payments'>): bigint => order.payments.reduce((sum, p) => sum + BigInt(p.amount), 0n);

/** The order after a step, or 409 when its status does not allow it. */
export function advance(order: Order, step: OrderStep, by: Caller, nowIso: string, detail: { dueDate?: string; reason?: string } = {}): Order {
  const rule = ORDER_STEPS[step];
  if (!(rule.from as readonly OrderStatus[]).includes(order.status)) throw new OrderTransitionRefused(order, step);
  const next: Order = { ...order, status: rule.to, version: order.version + 1, updatedAt: nowIso, updatedBy: by.userId };
  if (step === 'dispatch') next.dispatchedAt = nowIso;
  if (step === 'deliver') next.deliveredAt = nowIso;
  if (step === 'invoice') next.invoice = { issuedAt: nowIso, dueDate: detail.dueDate! };
  if (step === 'cancel') Object.assign(next, { cancelledAt: nowIso, cancelReason: detail.reason ?? null });
  return next;
}

/** A payment on an invoiced order; paying the balance makes it paid. More than the balance is a 400 naming `amount`. */
export function recordPayment(order: Order, input: PaymentInput, id: string, by: Caller, nowIso: string): Order {
  if (order.status !== 'invoiced') throw new OrderTransitionRefused(order, 'pay');
  const amount = parseAmount(input.amount, order.currency, 'amount');
  const balance = orderTotal(order) - paidTotal(order);
  if (amount <= 0) throw new ValidationFailed([{ path: 'amount', message: 'A payment is more than 0' }]);
  if (BigInt(amount) > balance) throw new ValidationFailed([{ path: 'amount', message: `More than the balance of ${formatAmount(balance, order.currency)} ${order.currency}` }]);
  const payments = [...order.payments, { id, amount, paidAt: input.paidAt ? new Date(input.paidAt).toISOString() : nowIso, reference: input.reference ?? null, recordedBy: by.userId }];
  const paid = BigInt(amount) === balance;
  return { ...order, payments, status: paid ? 'paid' : 'invoiced', version: order.version + 1, updatedAt: nowIso, updatedBy: by.userId };
}

/** When an invoiced order turns overdue: the start of the day after its due date, in UTC. */
export function overdueFrom(order: Pick<Order, 'invoice'>): string | null {
  if (!order.invoice) return null;
  return new Date(Date.parse(`${order.invoice.dueDate}T00:00:00.000Z`) + 86_400_000).toISOString();
}

/** Invoiced, unpaid, past its due date and not yet raised: the sweep raises it once. */
export function isOverdue(order: Order, nowIso: string): boolean {
  const from = overdueFrom(order);
  return order.status === 'invoiced' && order.overdueAt === null && from !== null && from <= nowIso;
}

/** The order once its overdue invoice is raised. */
export const markedOverdue = (order: Order, nowIso: string): Order => ({ ...order, overdueAt: nowIso, version: order.version + 1, updatedAt: nowIso, updatedBy: 'system' });

/** Its owner works on an order; managers and admins too. */
export const canWorkOnOrder = (caller: Caller, order: Pick<Order, 'ownerId'>) => order.ownerId === caller.userId || overseesReps(caller);

export function orderView(order: Order) {
  const totals = quoteTotalsView(quoteTotals({ currency: order.currency, lines: order.lines, discountPercent: order.discountPercent }));
  const paid = paidTotal(order);
  return {
    id: order.id,
    number: order.number,
    customerId: order.customerId,
    quoteId: order.quoteId,
    dealId: order.dealId,
    ownerId: order.ownerId,
    currency: order.currency,
    lines: order.lines.map((line, i) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      category: line.category,
      quantity: formatQuantity(line.quantity),
      unitPrice: formatAmount(line.unitPrice, order.currency),
      discountPercent: formatPercent(line.discountPercent),
      taxRatePercent: formatPercent(line.taxRatePercent),
      total: totals.lines[i]!.total,
    })),
    discountPercent: formatPercent(order.discountPercent),
    totals: { subtotal: totals.subtotal, discountTotal: totals.discountTotal, netTotal: totals.netTotal, taxTotal: totals.taxTotal, grandTotal: totals.grandTotal },
    paid: formatAmount(paid, order.currency),
    balance: formatAmount(BigInt(orderTotal(order)) - paid, order.currency),
    status: order.status,
    dispatchedAt: order.dispatchedAt,
    deliveredAt: order.deliveredAt,
    invoice: order.invoice,
    payments: order.payments.map((p) => ({ id: p.id, amount: formatAmount(p.amount, order.currency), paidAt: p.paidAt, reference: p.reference, recordedBy: p.recordedBy })),
    overdueAt: order.overdueAt,
    cancelledAt: order.cancelledAt,
    cancelReason: order.cancelReason,
    placedAt: order.placedAt,
    version: order.version,
    updatedAt: order.updatedAt,
    updatedBy: order.updatedBy,
  };
}
