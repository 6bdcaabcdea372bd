import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { quoteView } from '../../shared/quotes/quote';
import { quoteLinkPage, quoteProblemPage } from '../../shared/quotes/quote-page';
import { showQuoteLink } from '../../shared/quotes/quote-sending-use-cases';
import { quoteLinkDeps } from '../../shared/quotes/wiring';

/** GET /quote-links/{token}, public: the quote with its accept and decline forms; records nothing, as link scanners fetch it too. */
export const handler = httpHandler({ authenticated: false, htmlErrors: quoteProblemPage }, async ({ pathParameters }) => {
  const quote = await showQuoteLink(quoteLinkDeps, pathParameters.token);
  return htmlPage(quoteLinkPage(quoteView(quote), pathParameters.token ?? ''));
});
