import { eventHandler } from '../../shared/log-context';
import { mailQuoteLink } from '../../shared/quotes/quote-mail-use-case';
import { quoteMailDeps } from '../../shared/quotes/wiring';

/** On crm.quote.sent.v1: the quote and its signed link to the customer, once per sending. */
export const handler = eventHandler(async (event: unknown) => mailQuoteLink(quoteMailDeps, event));
