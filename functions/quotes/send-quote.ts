import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';
import { quoteView, sendQuoteInput } from '../../shared/quotes/quote';
import { sendQuote } from '../../shared/quotes/quote-sending-use-cases';
import { quoteSendingDeps } from '../../shared/quotes/wiring';

/** POST /quotes/{id}/send: the quote is sent; its mail with the signed link leaves from the event. */
export const handler = httpHandler({ body: sendQuoteInput }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const quote = await sendQuote(quoteSendingDeps, caller, pathParameters.id ?? '', body, optionalVersionFromIfMatch(headers['if-match']), requestId);
  return json(200, quoteView(quote), { etag: `"${quote.version}"` });
});
