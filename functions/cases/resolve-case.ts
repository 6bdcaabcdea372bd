import { caseView } from '../../shared/cases/case';
import { resolveCase } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /cases/{id}/resolve: the case is resolved (again is harmless). */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const after = await resolveCase(caseDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, caseView(after), { etag: `"${after.version}"` });
});
