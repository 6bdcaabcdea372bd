import * as z from 'zod/mini';
import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { COMMENT_MAX } from '../../shared/surveys/survey';
import { answeredPage, surveyProblemPage } from '../../shared/surveys/survey-page';
import { answerSurvey } from '../../shared/surveys/survey-use-cases';
import { surveyLinkDeps } from '../../shared/surveys/wiring';

const form = z.object({ score: z.optional(z.string()), comment: z.optional(z.string().check(z.maxLength(COMMENT_MAX))) });

/** POST /surveys/{token}/comment, public: the comment page's score and comment, recorded as the survey's answer. */
export const handler = httpHandler({ authenticated: false, htmlErrors: surveyProblemPage, body: form, form: true, maxBodyBytes: 16 * 1024 }, async ({ pathParameters, body, requestId }) => {
  const { survey, outcome } = await answerSurvey(surveyLinkDeps, pathParameters.token, 'comment', body, requestId);
  return htmlPage(answeredPage(survey.kind, survey.score!, outcome, survey.changeableUntil));
});
