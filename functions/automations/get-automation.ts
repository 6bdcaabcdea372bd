import { httpHandler, json } from '../../shared/http/http-handler';
import { automationView } from '../../shared/automations/automation';
import { automationDeps } from '../../shared/automations/wiring';
import { getAutomationWithStats } from '../../shared/automations/automation-use-cases';

/** GET /automations/{id}: marketers and admins; the ETag is the version PATCH expects in If-Match; `stats` its counters. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const { automation, stats } = await getAutomationWithStats(automationDeps, caller, pathParameters.id ?? '');
  return json(200, { ...automationView(automation), stats }, { etag: `"${automation.version}"` });
});
