import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { quotePatch, quoteView } from '../../shared/quotes/quote';
import { updateQuote } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** PATCH /quotes/{id}: a new revision, back to draft. */
export const handler = httpHandler({ body: quotePatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const quote = await updateQuote(quoteDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'quote'), requestId);
  return json(200, quoteView(quote), { etag: `"${quote.version}"` });
});
