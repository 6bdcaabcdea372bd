import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { commentPage, surveyProblemPage } from '../../shared/surveys/survey-page';
import { previewSurveyAnswer } from '../../shared/surveys/survey-use-cases';
import { surveyLinkDeps } from '../../shared/surveys/wiring';

/** GET /surveys/{token}/comment, public: the comment form, with the scores to pick from (the current answer checked). */
export const handler = httpHandler({ authenticated: false, htmlErrors: surveyProblemPage }, async ({ pathParameters }) => {
  const { survey, score } = await previewSurveyAnswer(surveyLinkDeps, pathParameters.token, 'comment');
  return htmlPage(commentPage(survey.kind, score));
});
