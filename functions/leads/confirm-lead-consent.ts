import { confirmedPage } from '../../shared/consent/consent-confirmation';
import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { confirmConsent } from '../../shared/leads/lead-consent-use-case';
import { leadConsentDeps } from '../../shared/leads/lead-consent-wiring';

/** POST /consent-confirmations/{token}, public: the double opt-in link's button grants what waited. The body is not read. */
export const handler = httpHandler({ authenticated: false }, async ({ pathParameters }) => {
  await confirmConsent(leadConsentDeps, pathParameters.token);
  return htmlPage(confirmedPage());
});
