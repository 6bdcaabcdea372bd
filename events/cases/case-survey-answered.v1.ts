import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A customer answered the satisfaction survey of a resolved case, or changed the answer within the
 * change window (`previousScore` is then the score it replaced). Ids, scores and times only: the
 * comment stays on the survey (`hasComment` says there is one). `low` is the tenant's threshold
 * applied when sent: the follow-up task rule matches on it.
 */
export const caseSurveyAnsweredV1 = defineEvent(
  'crm.case.survey-answered.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    surveyId: z.string(),
    kind: z.enum(['csat', 'nps']),
    score: z.int().check(z.minimum(0), z.maximum(10)),
    previousScore: z.nullable(z.int().check(z.minimum(0), z.maximum(10))),
    low: z.boolean(),
    hasComment: z.boolean(),
    agentId: z.nullable(z.string()),
    teamId: z.nullable(z.string()),
    answeredAt: z.string(),
  }),
);

export type CaseSurveyAnsweredV1 = DetailOf<typeof caseSurveyAnsweredV1>;
