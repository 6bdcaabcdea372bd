import { caseView } from '../../shared/cases/case';
import { listCases } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /cases?assignee=me|queue|<userId>&status=active|done|<status>: one page, one Query. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listCases(caseDeps, caller, query);
  return json(200, { items: page.items.map(caseView), cursor: page.cursor });
});
