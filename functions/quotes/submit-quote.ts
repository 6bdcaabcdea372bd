import { httpHandler, json } from '../../shared/http/http-handler';
import { optionalVersionFromIfMatch } from '../../shared/http/if-match';
import { quoteView } from '../../shared/quotes/quote';
import { submitQuote } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** POST /quotes/{id}/submit: approval as the policy asks, or approved at once. */
export const handler = httpHandler({}, async ({ caller, pathParameters, headers, requestId }) => {
  const quote = await submitQuote(quoteDeps, caller, pathParameters.id ?? '', optionalVersionFromIfMatch(headers['if-match']), requestId);
  return json(200, quoteView(quote), { etag: `"${quote.version}"` });
});
