import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { unsubscribeDeps } from '../../shared/consent/wiring';
import { unsubscribedPage } from '../../shared/consent/unsubscribe-page';
import { unsubscribe } from '../../shared/consent/unsubscribe-use-cases';

/**
 * POST /unsubscribe/{token}, public: RFC 8058 one-click (`List-Unsubscribe=One-Click`, form
 * encoded) and the confirmation page's button. The body is not parsed: the signed token is the
 * authorization and the POST the intent, and mailbox providers differ in how they encode the body.
 */
export const handler = httpHandler({ authenticated: false }, async ({ pathParameters, requestId }) => {
  const { topic } = await unsubscribe(unsubscribeDeps, pathParameters.token, requestId);
  return htmlPage(unsubscribedPage(topic));
});
