import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import { clock } from '../clock';
import { ULID_PATTERN } from '../id-formats';
import type { ProcessStatus } from '../approvals/approval-process';
import { currencyCode, formatAmount, formatPercent, formatQuantity, parsePercent, percent } from './money';
import type { PricedLine } from './quote-lines';
import { quoteLinesInput } from './quote-lines';
import { maxLineDiscountPercent, quoteTotals, quoteTotalsView } from './quote-totals';

/**
 * Quotes (docs/processes.md, "Quotes"): priced lines for a customer, revised in versions, approved
 * when the tenant's policy asks for it. Pure: schemas, the status rules, views.
 */

export const QUOTE_STATUSES = ['draft', 'pending-approval', 'approved', 'sent', 'accepted', 'rejected', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/** Statuses in which the quote may still be revised (a revision of an approved quote needs approval again). */
export const EDITABLE_STATUSES: readonly QuoteStatus[] = ['draft', 'pending-approval', 'approved'];

const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));
const terms = z.string().check(z.maxLength(5000));

export const createQuoteInput = z.strictObject({
  customerId: recordId,
  /** The deal the quote is for; an accepted quote may win it. */
  dealId: z.optional(recordId),
  currency: currencyCode,
  lines: quoteLinesInput,
  /** A discount on the whole quote, stacked on each line's own. */
  discountPercent: z.optional(percent),
  validUntil: z.iso.date(),
  terms: z.optional(terms),
});
export type CreateQuoteInput = z.output<typeof createQuoteInput>;

/** PATCH /quotes/{id}: a new revision; `null` clears the quote discount or the terms. */
export const quotePatch = z
  .strictObject({
    currency: z.optional(currencyCode),
    lines: z.optional(quoteLinesInput),
    discountPercent: z.optional(z.nullable(percent)),
    validUntil: z.optional(z.iso.date()),
    terms: z.optional(z.nullable(terms)),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'Name at least one field to change', path: ['lines'] }));
export type QuotePatch = z.output<typeof quotePatch>;

/** POST /quotes/{id}/send: to the customer's first address, a contact's, or one of the customer's or its contacts' addresses. */
export const sendQuoteInput = z.strictObject({
  /** A contact of the quote's customer: the mail goes to their first address. */
  contactId: z.optional(recordId),
  /** An address on record for the customer or one of its contacts (never any address: a quote is not a mail-anything form). */
  to: z.optional(z.email()),
  /** A short note above the link (plain text). */
  message: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
});
export type SendQuoteInput = z.output<typeof sendQuoteInput>;

/** The link page's accept form: the name typed stands as the customer's signature. */
export const acceptQuoteForm = z.strictObject({ signedBy: z.string().check(z.trim(), z.minLength(1, 'Type your name to accept'), z.maxLength(200)) });
/** The link page's decline form. */
export const declineQuoteForm = z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(2000))) });

/** The last time the quote was mailed: to whom, and the link it carried (`linkId`, in the signed token). */
export interface QuoteSending {
  at: string;
  by: string;
  to: string;
  contactId: string | null;
  message: string | null;
  /** Names the sending the link is for: a link of an earlier sending never answers a later version. */
  linkId: string;
  /** Until when the link takes an answer: the end of `validUntil` (UTC). */
  expiresAt: string;
}

/** The customer's answer through the link (or an order placed from the quote, which is its acceptance). */
export interface QuoteAnswer {
  outcome: 'accepted' | 'declined';
  at: string;
  via: 'link' | 'order';
  /** The name typed on the page by whoever accepted (their signature), or the reason of a decline. */
  signedBy: string | null;
  reason: string | null;
  /** The order the acceptance placed. */
  orderId: string | null;
}

export interface QuoteApproval {
  /** Null when no rule of the policy applied: approved without a process. */
  processId: string | null;
  status: ProcessStatus | 'not-required';
}

export interface Quote {
  id: string;
  /** Q-<year>-<4+ digits>, counted per tenant and year. */
  number: string;
  customerId: string;
  dealId: string | null;
  /** Who prepared it: the requester of its approvals. */
  ownerId: string;
  currency: string;
  lines: PricedLine[];
  /** Basis points. */
  discountPercent: number;
  validUntil: string;
  terms: string | null;
  status: QuoteStatus;
  /** The latest approval of this quote, if it was submitted. */
  approval: QuoteApproval | null;
  /** Absent on quotes stored before sending existed: read as null. */
  sent?: QuoteSending | null;
  answer?: QuoteAnswer | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export const quoteTotalsOf = (quote: Pick<Quote, 'currency' | 'lines' | 'discountPercent'>) =>
  quoteTotals({ currency: quote.currency, lines: quote.lines, discountPercent: quote.discountPercent });

/** The highest discount of a line, its own and the quote's stacked, in basis points (policy conditions read it). */
export const quoteMaxDiscount = (quote: Pick<Quote, 'lines' | 'discountPercent'>) => maxLineDiscountPercent(quote.lines, quote.discountPercent);

export function newQuote(fields: Omit<Quote, 'status' | 'approval' | 'version' | 'createdAt' | 'updatedAt' | 'updatedBy' | 'discountPercent'> & { discountPercent?: string }, caller: Caller, nowIso: string): Quote {
  return {
    ...fields,
    discountPercent: fields.discountPercent === undefined ? 0 : parsePercent(fields.discountPercent, 'discountPercent'),
    status: 'draft',
    approval: null,
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
}

/** A revision: the changed fields, back to draft (an approval is for the version it started with). */
export function revisedQuote(quote: Quote, patch: Omit<QuotePatch, 'lines'> & { lines?: PricedLine[] }, caller: Caller, nowIso: string): Quote {
  return {
    ...quote,
    currency: patch.currency ?? quote.currency,
    lines: patch.lines ?? quote.lines,
    discountPercent: patch.discountPercent === undefined ? quote.discountPercent : patch.discountPercent === null ? 0 : parsePercent(patch.discountPercent, 'discountPercent'),
    validUntil: patch.validUntil ?? quote.validUntil,
    terms: patch.terms === undefined ? quote.terms : patch.terms,
    status: 'draft',
    approval: quote.approval?.status === 'running' ? { ...quote.approval, status: 'recalled' } : quote.approval,
    version: quote.version + 1,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
}

/** The last instant a quote valid until `validUntil` (a date) takes an answer: the end of that day, UTC. */
export const expiresAtOf = (validUntil: string) => `${validUntil}T23:59:59.999Z`;

/** A sent quote whose validity ended reads as `expired` (no sweep writes it: nothing else happens at expiry). */
export function statusOn(quote: Pick<Quote, 'status' | 'validUntil'>, nowIso: string): QuoteStatus {
  return (quote.status === 'sent' || quote.status === 'approved') && expiresAtOf(quote.validUntil) < nowIso ? 'expired' : quote.status;
}

/** Sent (or sent again): approved or sent, still valid; a first sending after approval gets a new link. */
export function sentQuote(quote: Quote, sending: Omit<QuoteSending, 'expiresAt' | 'at' | 'by' | 'linkId'> & { newLinkId: string }, by: string, nowIso: string): Quote {
  const linkId = quote.status === 'sent' && quote.sent ? quote.sent.linkId : sending.newLinkId;
  return {
    ...quote,
    status: 'sent',
    sent: { at: nowIso, by, to: sending.to, contactId: sending.contactId, message: sending.message, linkId, expiresAt: expiresAtOf(quote.validUntil) },
    version: quote.version + 1,
    updatedAt: nowIso,
    updatedBy: by,
  };
}

/** The customer's answer: accepted (with the order it placed) or declined (`rejected`, the status name). */
export function answeredQuote(quote: Quote, answer: QuoteAnswer, by: string): Quote {
  return { ...quote, status: answer.outcome === 'accepted' ? 'accepted' : 'rejected', answer, version: quote.version + 1, updatedAt: answer.at, updatedBy: by };
}

/** Its owner works on a quote; managers and admins too. */
export const canWorkOn = (caller: Caller, quote: Pick<Quote, 'ownerId'>) => quote.ownerId === caller.userId || overseesReps(caller);

/** What an approver's inbox shows of the quote: its number, total and highest discount, never the customer's name. */
export function approvalSummary(quote: Quote): string {
  const totals = quoteTotalsOf(quote);
  return `Quote ${quote.number}: ${formatAmount(totals.grandTotal, quote.currency)} ${quote.currency}, discount up to ${formatPercent(Math.round(quoteMaxDiscount(quote)))} %`;
}

export function quoteView(quote: Quote) {
  const totals = quoteTotalsView(quoteTotalsOf(quote));
  return {
    id: quote.id,
    number: quote.number,
    customerId: quote.customerId,
    dealId: quote.dealId,
    ownerId: quote.ownerId,
    currency: quote.currency,
    lines: quote.lines.map((line, i) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      category: line.category,
      quantity: formatQuantity(line.quantity),
      unitPrice: formatAmount(line.unitPrice, quote.currency),
      listUnitPrice: line.listUnitPrice === null ? null : formatAmount(line.listUnitPrice, quote.currency),
      priceLevel: line.priceLevel ?? null,
      discountPercent: formatPercent(line.discountPercent),
      taxRatePercent: formatPercent(line.taxRatePercent),
      ...totals.lines[i]!,
    })),
    discountPercent: formatPercent(quote.discountPercent),
    maxDiscountPercent: formatPercent(Math.round(quoteMaxDiscount(quote))),
    totals: { subtotal: totals.subtotal, discountTotal: totals.discountTotal, netTotal: totals.netTotal, taxTotal: totals.taxTotal, grandTotal: totals.grandTotal, taxes: totals.taxes },
    validUntil: quote.validUntil,
    terms: quote.terms,
    status: statusOn(quote, clock.nowIso()),
    approval: quote.approval,
    sent: quote.sent ? { at: quote.sent.at, by: quote.sent.by, to: quote.sent.to, contactId: quote.sent.contactId, message: quote.sent.message, expiresAt: quote.sent.expiresAt } : null,
    answer: quote.answer ?? null,
    version: quote.version,
    createdAt: quote.createdAt,
    createdBy: quote.createdBy,
    updatedAt: quote.updatedAt,
    updatedBy: quote.updatedBy,
  };
}
