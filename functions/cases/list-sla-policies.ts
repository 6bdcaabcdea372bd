import { httpHandler, json } from '../../shared/http/http-handler';
import { slaPolicyView } from '../../shared/sla/sla-policies';
import { listSlaPolicies } from '../../shared/sla/sla-policy-use-cases';
import { slaPolicyDeps } from '../../shared/sla/wiring';

/** GET /sla-policies: every policy of the tenant. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listSlaPolicies(slaPolicyDeps, caller)).map(slaPolicyView) }));
