import { httpHandler, json } from '../../shared/http/http-handler';
import { quoteView } from '../../shared/quotes/quote';
import { recallQuote } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** POST /quotes/{id}/recall: back to draft; the approval ends as recalled. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const quote = await recallQuote(quoteDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, quoteView(quote), { etag: `"${quote.version}"` });
});
