import { routingPolicyView } from '../../shared/agents/agent';
import { getRoutingPolicy } from '../../shared/agents/agent-use-cases';
import { agentDeps } from '../../shared/agents/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /routing-policy: how new cases are routed, and what happens to an absent agent's cases. */
export const handler = httpHandler({}, async ({ caller }) => json(200, routingPolicyView(await getRoutingPolicy(agentDeps, caller))));
