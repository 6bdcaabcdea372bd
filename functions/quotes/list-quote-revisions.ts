import { httpHandler, json } from '../../shared/http/http-handler';
import { quoteView } from '../../shared/quotes/quote';
import { listQuoteRevisions } from '../../shared/quotes/quote-use-cases';
import { quoteDeps } from '../../shared/quotes/wiring';

/** GET /quotes/{id}/revisions: every earlier version, oldest first. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const revisions = await listQuoteRevisions(quoteDeps, caller, pathParameters.id ?? '');
  return json(200, { items: revisions.map(quoteView) });
});
