import { casePatch, caseView } from '../../shared/cases/case';
import { updateCase } from '../../shared/cases/case-use-cases';
import { caseDeps } from '../../shared/cases/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';

/** PATCH /cases/{id}: subject, priority, category, status or assignee, with If-Match. */
export const handler = httpHandler({ body: casePatch }, async ({ caller, body, pathParameters, headers, requestId }) => {
  const after = await updateCase(caseDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'case'), requestId);
  return json(200, caseView(after), { etag: `"${after.version}"` });
});
