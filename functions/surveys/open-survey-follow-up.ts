import { eventHandler } from '../../shared/log-context';
import { openSurveyFollowUp } from '../../shared/surveys/survey-follow-up-use-case';
import { surveyFollowUpDeps } from '../../shared/surveys/wiring';

/** Rule target on crm.case.survey-answered.v1 (low: true): one follow-up task per survey. */
export const handler = eventHandler(async (event: unknown) => openSurveyFollowUp(surveyFollowUpDeps, event));
