import { httpHandler } from '../../shared/http/http-handler';
import { automationDeps } from '../../shared/automations/wiring';
import { deleteAutomation } from '../../shared/automations/automation-use-cases';

/** DELETE /automations/{id}: marketers and admins; 204, 404 when there is no such automation. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  await deleteAutomation(automationDeps, caller, pathParameters.id ?? '');
  return { statusCode: 204 };
});
