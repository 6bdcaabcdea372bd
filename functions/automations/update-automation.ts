import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { assertCanManageAutomations, automationPatch, automationView } from '../../shared/automations/automation';
import { automationDeps } from '../../shared/automations/wiring';
import { updateAutomation } from '../../shared/automations/automation-use-cases';

/** PATCH /automations/{id}: merge patch with If-Match; marketers and admins. */
export const handler = httpHandler({ body: automationPatch }, async ({ caller, body, pathParameters, headers }) => {
  assertCanManageAutomations(caller); // 403 before any If-Match complaint, as always
  const automation = await updateAutomation(automationDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match']));
  return json(200, automationView(automation), { etag: `"${automation.version}"` });
});
