import { confirmationPage } from '../../shared/consent/consent-confirmation';
import { unsubscribeSecret } from '../../shared/consent/unsubscribe-secret-repository';
import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { readConfirmationLink } from '../../shared/leads/lead-consent-use-case';

/** GET /consent-confirmations/{token}, public: checks the link and shows the page whose button confirms; reads and changes nothing in the table. */
export const handler = httpHandler({ authenticated: false }, async ({ pathParameters }) => {
  await readConfirmationLink({ secret: unsubscribeSecret }, pathParameters.token);
  return htmlPage(confirmationPage());
});
