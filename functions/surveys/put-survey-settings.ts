import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { assertCanWriteSurveySettings, surveySettingsInput, surveySettingsView } from '../../shared/surveys/survey';
import { putSurveySettings } from '../../shared/surveys/survey-use-cases';
import { surveyRepository } from '../../shared/surveys/wiring';

/** PUT /survey-settings: replaces the settings, with If-Match; admins. */
export const handler = httpHandler({ body: surveySettingsInput }, async ({ caller, body, headers }) => {
  assertCanWriteSurveySettings(caller); // 403 before any If-Match complaint, as always
  const settings = await putSurveySettings(surveyRepository, caller, body, versionFromIfMatch(headers['if-match']));
  return json(200, surveySettingsView(settings), { etag: `"${settings.version}"` });
});
