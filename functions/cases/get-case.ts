import { caseMessageView, caseView } from '../../shared/cases/case';
import { getCase } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { latestSatisfaction } from '../../shared/surveys/survey';

/** GET /cases/{id}: the case and its thread, oldest message first, and the answer of its latest answered survey. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const found = await getCase(caseDeps, caller, pathParameters.id ?? '');
  return json(200, { ...caseView(found.case), messages: found.messages.map(caseMessageView), satisfaction: latestSatisfaction(found.surveys ?? []) }, { etag: `"${found.case.version}"` });
});
