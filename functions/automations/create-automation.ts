import { httpHandler, json } from '../../shared/http/http-handler';
import { automationView, createAutomationInput } from '../../shared/automations/automation';
import { automationDeps } from '../../shared/automations/wiring';
import { createAutomation } from '../../shared/automations/automation-use-cases';

/** POST /automations: marketers and admins; 400 names `eventPattern...` or `templateId` when they cannot be used. */
export const handler = httpHandler({ body: createAutomationInput }, async ({ caller, body }) => {
  const automation = await createAutomation(automationDeps, caller, body);
  return json(201, automationView(automation), { etag: `"${automation.version}"`, location: `/automations/${automation.id}` });
});
