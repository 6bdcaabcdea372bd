import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { acceptQuoteForm, quoteView } from '../../shared/quotes/quote';
import { quoteAnsweredPage, quoteProblemPage } from '../../shared/quotes/quote-page';
import { answerQuoteLink } from '../../shared/quotes/quote-sending-use-cases';
import { quoteLinkDeps } from '../../shared/quotes/wiring';

/** POST /quote-links/{token}/accept, public: the customer accepts; the order is placed in the same commit. */
export const handler = httpHandler({ authenticated: false, htmlErrors: quoteProblemPage, body: acceptQuoteForm, form: true, maxBodyBytes: 4 * 1024 }, async ({ pathParameters, body, requestId }) => {
  const { quote, outcome } = await answerQuoteLink(quoteLinkDeps, pathParameters.token, { outcome: 'accepted', signedBy: body.signedBy }, requestId);
  return htmlPage(quoteAnsweredPage(quoteView(quote), outcome));
});
