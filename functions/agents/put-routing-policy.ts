import { routingPolicyInput, routingPolicyView } from '../../shared/agents/agent';
import { putRoutingPolicy } from '../../shared/agents/agent-use-cases';
import { agentDeps } from '../../shared/agents/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** PUT /routing-policy: an admin sets the strategy and what happens when an agent goes away. */
export const handler = httpHandler({ body: routingPolicyInput }, async ({ caller, body }) => json(200, routingPolicyView(await putRoutingPolicy(agentDeps, caller, body))));
