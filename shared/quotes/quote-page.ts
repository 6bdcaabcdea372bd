import { escapeHtml, problemPage, type PublicProblem, publicPage } from '../html';
import type { quoteView } from './quote';

/**
 * The mail that sends a quote and the public pages behind its link (docs/processes.md, "Sending a
 * quote"). The page shows what the customer is asked to accept (lines, totals, terms, validity) and
 * no name or address: whoever holds a forwarded link learns the offer, nothing about the people.
 * Inline style, no script; the buttons POST forms to the same origin.
 */

type QuoteView = ReturnType<typeof quoteView>;

const money = (amount: string, currency: string) => `${amount} ${currency}`;
const day = (iso: string) => iso.slice(0, 10);

function lineTexts(view: QuoteView): string[] {
  return view.lines.map((l) => `${l.quantity} × ${l.name} (${l.sku}) at ${money(l.unitPrice, view.currency)}${l.discountPercent === '0' ? '' : `, −${l.discountPercent} %`}: ${money(l.total, view.currency)}`);
}

export function quoteMail(view: QuoteView, customerName: string, message: string | null, url: string): { subject: string; text: string; html: string } {
  const subject = `Your quote ${view.number}: ${money(view.totals.grandTotal, view.currency)}`;
  const text = [
    `Dear ${customerName},`,
    '',
    ...(message ? [message, ''] : []),
    `here is our quote ${view.number}, valid until ${view.validUntil}.`,
    '',
    ...lineTexts(view),
    '',
    `Total: ${money(view.totals.grandTotal, view.currency)} (tax ${money(view.totals.taxTotal, view.currency)})`,
    '',
    `View it, and accept or decline it, here: ${url}`,
  ].join('\n');
  const html =
    `<p>Dear ${escapeHtml(customerName)},</p>${message ? `<p>${escapeHtml(message).replace(/\n/g, '<br>')}</p>` : ''}` +
    `<p>here is our quote <strong>${escapeHtml(view.number)}</strong>, valid until ${escapeHtml(view.validUntil)}.</p>` +
    `<ul>${lineTexts(view).map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` +
    `<p><strong>Total: ${escapeHtml(money(view.totals.grandTotal, view.currency))}</strong></p>` +
    `<p><a href="${escapeHtml(url)}">View the quote, and accept or decline it</a></p>`;
  return { subject, text, html };
}

const TABLE_STYLE = 'table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}td.n,th.n{text-align:right}input[type=text]{width:100%;font-size:1rem;padding:.3rem}';

function quoteTable(view: QuoteView): string {
  const rows = view.lines
    .map((l) => `<tr><td>${escapeHtml(l.name)}<br><small>${escapeHtml(l.sku)}</small></td><td class="n">${escapeHtml(String(l.quantity))}</td><td class="n">${escapeHtml(l.unitPrice)}</td><td class="n">${l.discountPercent === '0' ? '' : `−${escapeHtml(l.discountPercent)} %`}</td><td class="n">${escapeHtml(l.total)}</td></tr>`)
    .join('');
  const total = (label: string, amount: string) => `<tr><td colspan="4">${label}</td><td class="n">${escapeHtml(amount)}</td></tr>`;
  return (
    `<table><thead><tr><th>Item</th><th class="n">Qty</th><th class="n">Unit (${escapeHtml(view.currency)})</th><th class="n">Discount</th><th class="n">Total</th></tr></thead><tbody>${rows}` +
    total('Subtotal', view.totals.subtotal) + total('Discounts', `−${view.totals.discountTotal}`) + total('Tax', view.totals.taxTotal) + `<tr><th colspan="4">Total (${escapeHtml(view.currency)})</th><th class="n">${escapeHtml(view.totals.grandTotal)}</th></tr></tbody></table>` +
    (view.terms ? `<h2>Terms</h2><p>${escapeHtml(view.terms).replace(/\n/g, '<br>')}</p>` : '')
  );
}

/** The quote as the customer sees it: open (with the accept and decline forms) or already answered. */
export function quoteLinkPage(view: QuoteView, token: string): string {
  const heading = `<h1>Quote ${escapeHtml(view.number)}</h1>`;
  if (view.answer) return publicPage(`Quote ${view.number}`, heading + answeredText(view) + quoteTable(view), TABLE_STYLE);
  const forms =
    `<form method="post" action="${escapeHtml(token)}/accept"><h2>Accept</h2><p><label for="signedBy">Your name (as your signature)</label><br><input type="text" id="signedBy" name="signedBy" maxlength="200" required></p>` +
    `<button type="submit">Accept the quote</button></form>` +
    `<form method="post" action="${escapeHtml(token)}/decline"><h2>Decline</h2><p><label for="reason">Why? (optional)</label><br><textarea id="reason" name="reason" maxlength="2000"></textarea></p>` +
    `<button type="submit">Decline the quote</button></form>`;
  return publicPage(`Quote ${view.number}`, `${heading}<p>Valid until ${escapeHtml(view.validUntil)}.</p>${quoteTable(view)}${forms}`, TABLE_STYLE);
}

function answeredText(view: QuoteView): string {
  const answer = view.answer!;
  return answer.outcome === 'accepted'
    ? `<p>You accepted this quote on ${escapeHtml(day(answer.at))}${answer.signedBy ? ` (signed: ${escapeHtml(answer.signedBy)})` : ''}. Thank you: your order is confirmed.</p>`
    : `<p>You declined this quote on ${escapeHtml(day(answer.at))}.</p>`;
}

/** After the answer: what was recorded (or that it stood already). */
export function quoteAnsweredPage(view: QuoteView, outcome: 'recorded' | 'unchanged'): string {
  const heading = view.answer?.outcome === 'accepted' ? 'Thank you for your order' : 'Thank you for your answer';
  const already = outcome === 'unchanged' ? '<p>Your answer was already recorded.</p>' : '';
  return publicPage(heading, `<h1>${heading}</h1>${already}${answeredText(view)}`);
}

/** What a browser sees when a link cannot be used: the reason in words, under the problem's status. */
export const quoteProblemPage = (problem: PublicProblem) => problemPage(problem, { 410: 'This quote is no longer open', 409: 'This quote was answered already' });
