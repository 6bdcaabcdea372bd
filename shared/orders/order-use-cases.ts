import { orderPlacedV1 } from '../../events/orders/order-placed.v1';
import { orderStatusChangedV1 } from '../../events/orders/order-status-changed.v1';
import type { Caller } from '../access/caller';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { clock } from '../clock';
import { canRead, type Customer } from '../customers/customer';
import { CustomerNotFound, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { callerEventContext, type EventContext, newEvent } from '../outbox/outbox';
import type { OrderFromQuote } from '../quotes/quote-sending-use-cases';
import type { Product } from '../products/product';
import { formatAmount, parsePercent } from '../quotes/money';
import { answeredQuote, canWorkOn, type Quote } from '../quotes/quote';
import { priceLines } from '../quotes/quote-lines';
import type { QuoteRepository } from '../quotes/quote-repository';
import { advance, canWorkOnOrder, newOrder, type Order, type OrderStep, orderTotal, type PaymentInput, type PlaceOrderInput, recordPayment } from './order';
import { OrderNotFound, QuoteNotOrderable } from './order-errors';
import type { OrderRepository } from './order-repository';

export interface OrderDeps {
  orders: OrderRepository;
  quotes: Pick<QuoteRepository, 'get' | 'replaceItems'>;
  products: { many(tenantId: string, productIds: readonly string[]): Promise<Product[]> };
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  write: (items: NamedItem[]) => Promise<void>;
}

/** The quote an order is placed from: the caller's to work on, approved or sent, still valid, for this customer. */
async function orderableQuote(deps: OrderDeps, caller: Caller, quoteId: string, customerId: string, today: string): Promise<Quote> {
  const quote = await deps.quotes.get(caller.tenantId, quoteId);
  if (!quote || !canWorkOn(caller, quote)) throw new ValidationFailed([{ path: 'quoteId', message: 'No such quote, or one you may not work on' }]);
  if (quote.customerId !== customerId) throw new ValidationFailed([{ path: 'quoteId', message: "Not a quote of this order's customer" }]);
  if (quote.status !== 'approved' && quote.status !== 'sent') throw new QuoteNotOrderable(quote, `it is ${quote.status} (it must be approved, or sent)`);
  if (quote.validUntil < today) throw new QuoteNotOrderable(quote, `it expired on ${quote.validUntil}`);
  return quote;
}

/**
 * Places an order, confirmed: from an approved or sent quote (the customer accepted it: the quote
 * becomes `accepted` in the same commit) or from lines priced like a quote's. The purchase moves
 * the customer's figures and `lastPurchaseAt` in that commit too.
 */
export async function placeOrder(deps: OrderDeps, caller: Caller, input: PlaceOrderInput, correlationId: string): Promise<Order> {
  const customer = await deps.customers.get(caller.tenantId, input.customerId);
  if (!customer || customer.mergedInto || customer.erasedAt || !canRead(caller, customer)) throw new ValidationFailed([{ path: 'customerId', message: 'No such customer, or one you may not read' }]);
  const now = clock.now();
  const nowIso = now.toISOString();
  const quote = input.quoteId ? await orderableQuote(deps, caller, input.quoteId, input.customerId, nowIso.slice(0, 10)) : undefined;
  const lines = quote ? quote.lines : priceLines(input.lines!, await deps.products.many(caller.tenantId, input.lines!.map((l) => l.productId)), input.currency!, customer.level);
  const order = newOrder(
    {
      id: newId(), number: await deps.orders.nextNumber(caller.tenantId, String(now.getUTCFullYear())), customerId: input.customerId, quoteId: quote?.id ?? null, dealId: quote?.dealId ?? null, ownerId: caller.userId,
      currency: quote?.currency ?? input.currency!, lines, discountPercent: quote ? quote.discountPercent : input.discountPercent === undefined ? 0 : parsePercent(input.discountPercent, 'discountPercent'),
    },
    caller.userId,
    nowIso,
  );
  const items = deps.orders.placeItems(caller.tenantId, order);
  // Placing the order is the customer's acceptance, given to the rep rather than through the link.
  if (quote) items.push(...deps.quotes.replaceItems(caller.tenantId, answeredQuote(quote, { outcome: 'accepted', at: nowIso, via: 'order', signedBy: null, reason: null, orderId: order.id }, caller.userId), quote.version));
  items.push(placedEventItem(deps.orders, caller.tenantId, order, callerEventContext(caller, correlationId)));
  try {
    await deps.write(items);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    if (error.failed('customer')) throw new CustomerNotFound(order.customerId);
    // The quote moved meanwhile (another order from it, an edit): read it again.
    throw new QuoteNotOrderable(quote!, 'it changed meanwhile (another order, or a revision)');
  }
  return order;
}

function placedEventItem(orders: Pick<OrderRepository, 'eventItem'>, tenantId: string, order: Order, ctx: EventContext): NamedItem {
  return orders.eventItem(tenantId, order.customerId, orderPlacedV1.detailType, newEvent(orderPlacedV1, ctx, {
    orderId: order.id, customerId: order.customerId, quoteId: order.quoteId, dealId: order.dealId, ownerId: order.ownerId, currency: order.currency, total: formatAmount(orderTotal(order), order.currency), lineCount: order.lines.length,
  }));
}

/**
 * The order a quote accepted through its link places (quotes/quote-sending-use-cases.ts): owned by
 * the quote's owner, its lines, prices and discount; items for the acceptance's commit.
 */
export function orderFromQuote(orders: Pick<OrderRepository, 'nextNumber' | 'placeItems' | 'eventItem'>): OrderFromQuote {
  return async (tenantId, quote, ctx, nowIso) => {
    const order = newOrder(
      { id: newId(), number: await orders.nextNumber(tenantId, nowIso.slice(0, 4)), customerId: quote.customerId, quoteId: quote.id, dealId: quote.dealId, ownerId: quote.ownerId, currency: quote.currency, lines: quote.lines, discountPercent: quote.discountPercent },
      ctx.actor.id,
      nowIso,
    );
    return { orderId: order.id, items: [...orders.placeItems(tenantId, order), placedEventItem(orders, tenantId, order, ctx)] };
  };
}

export async function getOrder(deps: OrderDeps, caller: Caller, orderId: string): Promise<Order> {
  const order = await deps.orders.get(caller.tenantId, orderId);
  if (!order || !canWorkOnOrder(caller, order)) throw new OrderNotFound(orderId);
  return order;
}

/** Dispatch, deliver, invoice (with a due date) or cancel; If-Match carries the version the caller saw, when sent. */
export async function stepOrder(deps: OrderDeps, caller: Caller, orderId: string, step: OrderStep, detail: { dueDate?: string; reason?: string }, expectedVersion: number | undefined, correlationId: string): Promise<Order> {
  const current = await getOrder(deps, caller, orderId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new StaleVersion('order', current.version);
  return commitChange(deps, caller, current, advance(current, step, caller, clock.nowIso(), detail), correlationId);
}

/** A payment on an invoiced order; the one that settles the balance makes it paid. */
export async function payOrder(deps: OrderDeps, caller: Caller, orderId: string, input: PaymentInput, correlationId: string): Promise<Order> {
  const current = await getOrder(deps, caller, orderId);
  return commitChange(deps, caller, current, recordPayment(current, input, newId(), caller, clock.nowIso()), correlationId);
}

async function commitChange(deps: OrderDeps, caller: Caller, current: Order, next: Order, correlationId: string): Promise<Order> {
  const items = deps.orders.replaceItems(caller.tenantId, next, current.version);
  if (next.status !== current.status) {
    items.push(
      deps.orders.eventItem(caller.tenantId, next.customerId, orderStatusChangedV1.detailType, newEvent(orderStatusChangedV1, callerEventContext(caller, correlationId), {
        orderId: next.id, customerId: next.customerId, from: current.status, to: next.status, currency: next.currency, total: formatAmount(orderTotal(next), next.currency), dueDate: next.invoice?.dueDate ?? null,
      })),
    );
  }
  try {
    await deps.write(items);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.failed('order')) throw new StaleVersion('order', Number(error.current('order')?.version ?? current.version));
    throw error;
  }
  return next;
}

/** What the customer bought: every order line as a purchase, newest first, and the figures. */
export async function listPurchases(deps: OrderDeps, caller: Caller, customerId: string) {
  const customer = await deps.customers.get(caller.tenantId, customerId);
  if (!customer || customer.mergedInto || customer.erasedAt || !canRead(caller, customer)) throw new CustomerNotFound(customerId);
  const { orders, summary } = await deps.orders.purchases(caller.tenantId, customerId);
  return { orders: orders.sort((a, b) => b.placedAt.localeCompare(a.placedAt)), summary };
}

export const writeWith = (db: Parameters<typeof transactWrite>[0]) => (items: NamedItem[]) => transactWrite(db, items);
