import { escapeHtml } from '../html';
import { type Order, orderView } from './order';

/**
 * The order document mailed to the customer when their order is dispatched: its number, lines,
 * totals and what is still to pay. Pure: text and HTML from the order.
 */
export function orderDocument(order: Order, customerName: string): { subject: string; text: string; html: string } {
  const view = orderView(order);
  const lines = view.lines.map((l) => `${l.quantity} × ${l.name} (${l.sku}) at ${l.unitPrice} ${view.currency}${l.discountPercent === '0' ? '' : `, −${l.discountPercent} %`}: ${l.total} ${view.currency}`);
  const totals = [
    `Subtotal: ${view.totals.subtotal} ${view.currency}`,
    `Discounts: ${view.totals.discountTotal} ${view.currency}`,
    `Tax: ${view.totals.taxTotal} ${view.currency}`,
    `Total: ${view.totals.grandTotal} ${view.currency}`,
  ];
  const subject = `Your order ${view.number} is on its way`;
  const text = [`Dear ${customerName},`, '', `your order ${view.number} was dispatched today.`, '', ...lines, '', ...totals].join('\n');
  const html =
    `<p>Dear ${escapeHtml(customerName)},</p><p>your order <strong>${escapeHtml(view.number)}</strong> was dispatched today.</p>` +
    `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` +
    `<p>${totals.map(escapeHtml).join('<br>')}</p>`;
  return { subject, text, html };
}
