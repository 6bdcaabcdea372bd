import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { unsubscribeDeps } from '../../shared/consent/wiring';
import { unsubscribeLinkPage } from '../../shared/consent/unsubscribe-page';
import { unsubscribeView } from '../../shared/consent/unsubscribe-use-cases';

/** GET /unsubscribe/{token}, public: the link's topic as it stands and the preference centre; reads, never writes. */
export const handler = httpHandler({ authenticated: false }, async ({ pathParameters }) => {
  const view = await unsubscribeView(unsubscribeDeps, pathParameters.token);
  return htmlPage(unsubscribeLinkPage(view, pathParameters.token ?? ''));
});
