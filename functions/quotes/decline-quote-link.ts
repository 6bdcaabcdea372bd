import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { declineQuoteForm, quoteView } from '../../shared/quotes/quote';
import { quoteAnsweredPage, quoteProblemPage } from '../../shared/quotes/quote-page';
import { answerQuoteLink } from '../../shared/quotes/quote-sending-use-cases';
import { quoteLinkDeps } from '../../shared/quotes/wiring';

/** POST /quote-links/{token}/decline, public: the customer declines, with an optional reason. */
export const handler = httpHandler({ authenticated: false, htmlErrors: quoteProblemPage, body: declineQuoteForm, form: true, maxBodyBytes: 16 * 1024 }, async ({ pathParameters, body, requestId }) => {
  const { quote, outcome } = await answerQuoteLink(quoteLinkDeps, pathParameters.token, { outcome: 'declined', reason: body.reason || null }, requestId);
  return htmlPage(quoteAnsweredPage(quoteView(quote), outcome));
});
