import { busEventSchema } from '../../events/envelope';
import { quoteSentV1 } from '../../events/quotes/quote-sent.v1';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import { quoteView } from './quote';
import { signQuoteLink, quoteLinkUrl } from './quote-link-token';
import { quoteMail } from './quote-page';
import type { QuoteRepository } from './quote-repository';

/** The side effect's name; its marker (`$DONE#quote-link#<eventId>`) sits in the customer's partition. */
export const QUOTE_MAIL_EFFECT = 'quote-link';

export interface QuoteMailDeps {
  quotes: Pick<QuoteRepository, 'get'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
  secret: () => Promise<string>;
  /** Where the links point: the public HTTP API. */
  apiBaseUrl: string;
}

export type QuoteMailResult = { status: 'sent'; messageId: string } | { status: 'superseded' | 'customer-gone' | 'already-sent' };

/**
 * Rule target on `crm.quote.sent.v1`: mails the quote with its signed link, once per sending (a
 * marker per event, claimed before the send and released if SES refuses). A quote that moved on
 * since (answered, or sent again: that event mails it) gets no mail from this one.
 */
export async function mailQuoteLink(deps: QuoteMailDeps, event: unknown): Promise<QuoteMailResult> {
  const detail = quoteSentV1.schema.parse(busEventSchema.parse(event).detail);
  const { tenantId } = detail;
  const { quoteId, customerId, version } = detail.data;
  const [quote, customer] = await Promise.all([deps.quotes.get(tenantId, quoteId), deps.customers.get(tenantId, customerId)]);
  // The index may trail the commit by a moment: failing lets the bus deliver it again.
  if (!quote || quote.version < version) throw new Error(`Quote ${quoteId} at version ${version} is not readable yet`);
  if (quote.version !== version || quote.status !== 'sent' || !quote.sent) return { status: 'superseded' };
  if (!customer || customer.erasedAt || customer.mergedInto) return { status: 'customer-gone' };
  const partition = keys.customerPartition(tenantId, customerId);
  const effect = `${QUOTE_MAIL_EFFECT}#${detail.id}`;
  if (!(await deps.once.claim(partition, effect, clock.nowIso()))) return { status: 'already-sent' };
  let sent: { messageId: string };
  try {
    const token = signQuoteLink({ tenantId, customerId, quoteId, linkId: quote.sent.linkId }, await deps.secret());
    const mail = quoteMail(quoteView(quote), customer.name, quote.sent.message, quoteLinkUrl(deps.apiBaseUrl, token));
    sent = await deps.mailer.sendSimple({ to: quote.sent.to, ...mail, tags: { tenantId, customerId, kind: QUOTE_MAIL_EFFECT }, headers: [{ name: 'X-CRM-Quote', value: quoteId }] });
  } catch (error) {
    await deps.once.release(partition, effect);
    throw error;
  }
  // Sent: from here a failure must not release the marker, or a retry would mail it twice.
  await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
  return { status: 'sent', messageId: sent.messageId };
}
