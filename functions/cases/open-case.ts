import { caseView, openCaseInput } from '../../shared/cases/case';
import { openCase } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /cases: a case for a customer, named or found (or made) by the requester's address. */
export const handler = httpHandler({ body: openCaseInput }, async ({ caller, body, requestId }) => {
  const opened = await openCase(caseDeps, caller, body, requestId);
  return json(201, caseView(opened), { location: `/cases/${opened.id}`, etag: `"${opened.version}"` });
});
