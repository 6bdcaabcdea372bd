import { httpHandler, json } from '../../shared/http/http-handler';
import { createQuoteInput, quoteView } from '../../shared/quotes/quote';
import { createQuote } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** POST /quotes: a draft, priced and totalled. */
export const handler = httpHandler({ body: createQuoteInput }, async ({ caller, body }) => {
  const quote = await createQuote(quoteDeps, caller, body);
  return json(201, quoteView(quote), { etag: `"${quote.version}"`, location: `/quotes/${quote.id}` });
});
