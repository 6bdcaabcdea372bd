import { httpHandler, json } from '../../shared/http/http-handler';
import { automationView } from '../../shared/automations/automation';
import { automationDeps } from '../../shared/automations/wiring';
import { listAutomations } from '../../shared/automations/automation-use-cases';

/** GET /automations: the tenant's automations, oldest first; marketers and admins. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listAutomations(automationDeps, caller)).map(automationView) }));
