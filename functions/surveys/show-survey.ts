import { htmlPage } from '../../shared/http/html-page';
import { httpHandler } from '../../shared/http/http-handler';
import { confirmPage, surveyProblemPage } from '../../shared/surveys/survey-page';
import { previewSurveyAnswer } from '../../shared/surveys/survey-use-cases';
import { surveyLinkDeps } from '../../shared/surveys/wiring';

/** GET /surveys/{token}, public: the rating to confirm (and an optional comment); records nothing, as link scanners fetch it too. */
export const handler = httpHandler({ authenticated: false, htmlErrors: surveyProblemPage }, async ({ pathParameters }) => {
  const { survey, score } = await previewSurveyAnswer(surveyLinkDeps, pathParameters.token, 'rating');
  return htmlPage(confirmPage(survey.kind, score!));
});
