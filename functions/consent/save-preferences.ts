import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { preferencesForm } from '../../shared/consent/preference-centre';
import { unsubscribeDeps } from '../../shared/consent/wiring';
import { unsubscribeLinkPage, unsubscribeProblemPage } from '../../shared/consent/unsubscribe-page';
import { savePreferences } from '../../shared/consent/unsubscribe-use-cases';

/** POST /unsubscribe/{token}/preferences, public: the preference centre's form (`<topic>=in|out`); answers the page as it now stands. */
export const handler = httpHandler({ authenticated: false, htmlErrors: unsubscribeProblemPage, body: preferencesForm, form: true, maxBodyBytes: 8 * 1024 }, async ({ pathParameters, body, requestId }) => {
  const { view, saved } = await savePreferences(unsubscribeDeps, pathParameters.token, body, requestId);
  return htmlPage(unsubscribeLinkPage(view, pathParameters.token ?? '', 'preferences', saved));
});
