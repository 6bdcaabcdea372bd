import { httpHandler, json } from '../../shared/http/http-handler';
import { surveySettingsView } from '../../shared/surveys/survey';
import { getSurveySettings } from '../../shared/surveys/survey-use-cases';
import { surveyRepository } from '../../shared/surveys/wiring';

/** GET /survey-settings: whether and how resolved cases are surveyed (defaults until saved). */
export const handler = httpHandler({}, async ({ caller }) => {
  const settings = await getSurveySettings(surveyRepository, caller);
  return json(200, surveySettingsView(settings), { etag: `"${settings.version}"` });
});
