import { httpHandler, json } from '../../shared/http/http-handler';
import { satisfactionFiguresFor } from '../../shared/surveys/survey-use-cases';
import { surveyRepository } from '../../shared/surveys/wiring';

/** GET /service/satisfaction: CSAT or NPS figures of the tenant, an agent or a team for a month. */
export const handler = httpHandler({}, async ({ caller, query }) => json(200, await satisfactionFiguresFor(surveyRepository, caller, query)));
