import { formatAmount } from '../quotes/money';
import { type Order, orderView } from './order';
import type { PurchaseSummary } from './order-repository';

/** The customer's purchase figures as the API shows them: spend per currency as decimal strings. */
export function purchaseSummaryView(summary: PurchaseSummary) {
  return {
    orderCount: summary.orderCount,
    lifetimeSpend: Object.fromEntries(Object.entries(summary.spend).filter(([, minor]) => minor !== 0).sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => [currency, formatAmount(minor, currency)])),
    firstPurchaseAt: summary.firstPurchaseAt,
    lastPurchaseAt: summary.lastPurchaseAt,
  };
}

/** Every line of every order not cancelled, as a purchase: what, when, how much. */
export function purchasesView(orders: readonly Order[], summary: PurchaseSummary) {
  return {
    ...purchaseSummaryView(summary),
    purchases: orders
      .filter((o) => o.status !== 'cancelled')
      .flatMap((o) => {
        const view = orderView(o);
        return view.lines.map((line) => ({ orderId: o.id, orderNumber: o.number, placedAt: o.placedAt, productId: line.productId, sku: line.sku, name: line.name, quantity: line.quantity, currency: o.currency, total: line.total }));
      }),
  };
}
