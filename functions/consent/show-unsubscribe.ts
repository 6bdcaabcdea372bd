import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { readUnsubscribeToken } from '../../shared/consent/unsubscribe-link';
import { confirmationPage } from '../../shared/consent/unsubscribe-page';
import { unsubscribeSecret } from '../../shared/consent/unsubscribe-secret-repository';

/** GET /unsubscribe/{token}, public: checks the link and shows the confirmation page; reads and changes nothing in the table. */
export const handler = httpHandler({ authenticated: false }, async ({ pathParameters }) => {
  const claims = await readUnsubscribeToken({ secret: unsubscribeSecret }, pathParameters.token);
  return htmlPage(confirmationPage(claims.topic));
});
