import { quoteAnsweredV1 } from '../../events/quotes/quote-answered.v1';
import { quoteSentV1 } from '../../events/quotes/quote-sent.v1';
import type { Caller } from '../access/caller';
import { type NamedItem, TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import { Conflict, Gone, MalformedRequest, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { callerEventContext, type EventContext, newEvent } from '../outbox/outbox';
import { formatAmount } from './money';
import { answeredQuote, type Quote, type QuoteAnswer, quoteTotalsOf, type SendQuoteInput, sentQuote, statusOn } from './quote';
import { QuoteNotSubmittable } from './quote-errors';
import { InvalidQuoteLink, type QuoteLinkClaims, verifyQuoteLink } from './quote-link-token';
import type { QuoteRepository } from './quote-repository';
import { getQuote, type QuoteDeps } from './quote-use-cases';

/**
 * Sending a quote and the customer's answer through its link (docs/processes.md, "Sending a
 * quote"). Sending commits the quote as `sent` with crm.quote.sent.v1; the mail leaves from that
 * event (quote-mail-use-case.ts), so a crash between the two loses no mail. The link's answer is
 * one transaction: the quote, its order (on acceptance) and their events.
 */

export interface QuoteSendingDeps extends Pick<QuoteDeps, 'quotes' | 'customers'> {
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<{ emails: string[] } | undefined> };
  write: (items: NamedItem[]) => Promise<void>;
}

/** An order placed from an accepted quote: its items (the order, the purchase, its event), built by the orders area. */
export type OrderFromQuote = (tenantId: string, quote: Quote, ctx: EventContext, nowIso: string) => Promise<{ orderId: string; items: NamedItem[] }>;

export interface QuoteLinkDeps {
  quotes: Pick<QuoteRepository, 'get' | 'replaceItems'>;
  orders: { fromQuote: OrderFromQuote; eventItem: QuoteRepository['eventItem'] };
  write: (items: NamedItem[]) => Promise<void>;
  /** The stage's link secret (quote links sign with a key derived from it). */
  secret: () => Promise<string>;
}

/** The links answer as this actor on the events (the customer has no user). */
const LINK_ACTOR = { type: 'system', id: 'quote-link' } as const;
/** An accept and a decline at once: the loser reads again and finds the answer. */
const ANSWER_ATTEMPTS = 3;

export class QuoteExpired extends Conflict {
  override readonly slug = 'quote-expired';
  constructor(quote: Pick<Quote, 'number' | 'validUntil'>) {
    super(`Quote ${quote.number} was valid until ${quote.validUntil}; revise it (a new validUntil) before sending it`);
  }
}

export class QuoteLinkClosed extends Gone {
  override readonly slug = 'quote-link-closed';
}

export class QuoteAlreadyAnswered extends Conflict {
  override readonly slug = 'quote-answered';
  constructor(answer: QuoteAnswer) {
    super(`This quote was ${answer.outcome} on ${answer.at.slice(0, 10)}; the answer stands`);
    Object.assign(this.extensions, { outcome: answer.outcome, answeredAt: answer.at });
  }
}

const totalOf = (quote: Quote) => formatAmount(quoteTotalsOf(quote).grandTotal, quote.currency);

/** The address a quote goes to: a contact's first, one on record, or the customer's first. */
async function recipientOf(deps: QuoteSendingDeps, tenantId: string, customer: Customer, input: SendQuoteInput): Promise<{ to: string; contactId: string | null }> {
  if (input.contactId) {
    const contact = await deps.contacts.get(tenantId, customer.id, input.contactId);
    if (!contact) throw new ValidationFailed([{ path: 'contactId', message: 'No such contact of this customer' }]);
    const to = input.to ?? contact.emails[0];
    if (!to) throw new ValidationFailed([{ path: 'contactId', message: 'This contact has no address on record' }]);
    if (!contact.emails.some((e) => e.toLowerCase() === to.toLowerCase())) throw new ValidationFailed([{ path: 'to', message: "Not one of this contact's addresses" }]);
    return { to, contactId: input.contactId };
  }
  if (input.to) {
    if (!customer.emails.some((e) => e.toLowerCase() === input.to!.toLowerCase())) throw new ValidationFailed([{ path: 'to', message: "Not one of the customer's addresses (name a contact for theirs)" }]);
    return { to: input.to, contactId: null };
  }
  const first = customer.emails[0];
  if (!first) throw new ValidationFailed([{ path: 'to', message: 'The customer has no address on record: name a contact, or add an address first' }]);
  return { to: first, contactId: null };
}

/**
 * Mails an approved quote to its customer (or sends a sent one again, with the same link): the
 * quote is `sent` with crm.quote.sent.v1 in one commit, the mail goes from that event once.
 */
export async function sendQuote(deps: QuoteSendingDeps, caller: Caller, quoteId: string, input: SendQuoteInput, expectedVersion: number | undefined, correlationId: string): Promise<Quote> {
  const current = await getQuote(deps, caller, quoteId);
  if (expectedVersion !== undefined && expectedVersion !== current.version) throw new StaleVersion('quote', current.version);
  const nowIso = clock.nowIso();
  const status = statusOn(current, nowIso);
  if (status === 'expired') throw new QuoteExpired(current);
  if (status !== 'approved' && status !== 'sent') throw new QuoteNotSubmittable(current, 'sent');
  const customer = await deps.customers.get(caller.tenantId, current.customerId);
  if (!customer || customer.erasedAt || customer.mergedInto) throw new Conflict("The quote's customer was erased or merged; it cannot be sent");
  const recipient = await recipientOf(deps, caller.tenantId, customer, input);
  const quote = sentQuote(current, { ...recipient, message: input.message || null, newLinkId: newId() }, caller.userId, nowIso);
  const event = newEvent(quoteSentV1, callerEventContext(caller, correlationId), {
    quoteId: quote.id, customerId: quote.customerId, dealId: quote.dealId, ownerId: quote.ownerId, version: quote.version, contactId: recipient.contactId,
    currency: quote.currency, total: totalOf(quote), validUntil: quote.validUntil, resent: current.status === 'sent',
  });
  try {
    await deps.write([...deps.quotes.replaceItems(caller.tenantId, quote, current.version), deps.quotes.eventItem(caller.tenantId, quote.customerId, quoteSentV1.detailType, event)]);
  } catch (error) {
    if (!(error instanceof TransactionConditionFailed)) throw error;
    throw new StaleVersion('quote', (await deps.quotes.get(caller.tenantId, quoteId))?.version ?? current.version);
  }
  return quote;
}

/** The link's claims, or a 400 that says nothing about why it was refused. */
async function claimsOf(deps: Pick<QuoteLinkDeps, 'secret'>, token: string | undefined): Promise<QuoteLinkClaims> {
  try {
    return verifyQuoteLink(token ?? '', await deps.secret());
  } catch (error) {
    if (error instanceof InvalidQuoteLink) throw new MalformedRequest('This quote link is not valid');
    throw error;
  }
}

/**
 * The quote a link shows: the one it names, still at the sending the link came with. A link from
 * before a revision, or of a quote gone with its customer, is closed for good (410).
 */
async function quoteOfLink(deps: Pick<QuoteLinkDeps, 'quotes'>, claims: QuoteLinkClaims): Promise<Quote> {
  const quote = await deps.quotes.get(claims.tenantId, claims.quoteId);
  if (!quote || quote.customerId !== claims.customerId) throw new QuoteLinkClosed('This quote is no longer available');
  if (quote.sent?.linkId !== claims.linkId) throw new QuoteLinkClosed('This link was replaced: the quote changed since it was sent; ask for the new one');
  return quote;
}

/** A quote the link may still answer: sent and valid; an answered one is for the caller to judge. */
function assertOpen(quote: Quote, nowIso: string): void {
  if (quote.answer && (quote.status === 'accepted' || quote.status === 'rejected')) return;
  const status = statusOn(quote, nowIso);
  if (status === 'expired') throw new QuoteLinkClosed(`This quote was valid until ${quote.validUntil}`);
  if (status !== 'sent') throw new QuoteLinkClosed('This quote is no longer open for an answer');
}

/** GET of the link: the quote to read and answer. Records nothing: mail scanners fetch every link. */
export async function showQuoteLink(deps: QuoteLinkDeps, token: string | undefined): Promise<Quote> {
  const quote = await quoteOfLink(deps, await claimsOf(deps, token));
  assertOpen(quote, clock.nowIso());
  return quote;
}

/**
 * The customer's answer: accepted (the order placed in the same commit, owned by the quote's
 * owner) or declined. One answer per quote: repeating it changes nothing, the other answer after
 * it is a 409; an accept and a decline at once meet at the quote's version, and one wins.
 */
export async function answerQuoteLink(
  deps: QuoteLinkDeps,
  token: string | undefined,
  answer: { outcome: 'accepted'; signedBy: string } | { outcome: 'declined'; reason: string | null },
  requestId: string,
): Promise<{ quote: Quote; outcome: 'recorded' | 'unchanged' }> {
  const claims = await claimsOf(deps, token);
  for (let attempt = 1; ; attempt++) {
    const current = await quoteOfLink(deps, claims);
    const nowIso = clock.nowIso();
    assertOpen(current, nowIso);
    if (current.answer && (current.status === 'accepted' || current.status === 'rejected')) {
      if (current.answer.outcome === answer.outcome) return { quote: current, outcome: 'unchanged' };
      throw new QuoteAlreadyAnswered(current.answer);
    }
    const ctx: EventContext = { tenantId: claims.tenantId, actor: LINK_ACTOR, correlationId: requestId };
    const order = answer.outcome === 'accepted' ? await deps.orders.fromQuote(claims.tenantId, current, ctx, nowIso) : undefined;
    const quote = answeredQuote(
      current,
      { outcome: answer.outcome, at: nowIso, via: 'link', signedBy: answer.outcome === 'accepted' ? answer.signedBy : null, reason: answer.outcome === 'declined' ? answer.reason : null, orderId: order?.orderId ?? null },
      LINK_ACTOR.id,
    );
    const event = newEvent(quoteAnsweredV1, ctx, {
      quoteId: quote.id, customerId: quote.customerId, dealId: quote.dealId, ownerId: quote.ownerId, outcome: answer.outcome, orderId: order?.orderId ?? null, currency: quote.currency, total: totalOf(quote),
    });
    try {
      await deps.write([...deps.quotes.replaceItems(claims.tenantId, quote, current.version), ...(order?.items ?? []), deps.orders.eventItem(claims.tenantId, quote.customerId, quoteAnsweredV1.detailType, event)]);
      return { quote, outcome: 'recorded' };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (order && error.failed('customer')) throw new QuoteLinkClosed('This quote is no longer available');
      if (attempt >= ANSWER_ATTEMPTS) throw new Conflict('The quote changed while you answered; open the link again');
    }
  }
}
