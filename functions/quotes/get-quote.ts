import { httpHandler, json } from '../../shared/http/http-handler';
import { quoteView } from '../../shared/quotes/quote';
import { getQuote } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** GET /quotes/{id} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const quote = await getQuote(quoteDeps, caller, pathParameters.id ?? '');
  return json(200, quoteView(quote), { etag: `"${quote.version}"` });
});
