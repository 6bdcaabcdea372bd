import { eventHandler } from '../../shared/log-context';
import { sendCaseSurvey } from '../../shared/surveys/survey-send-use-case';
import { surveySendDeps } from '../../shared/surveys/wiring';

/** Rule target on crm.case.status-changed.v1 (to: resolved): mails the satisfaction survey once per resolution. */
export const handler = eventHandler(async (event: unknown) => sendCaseSurvey(surveySendDeps, event));
