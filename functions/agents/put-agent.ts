import { agentView, putAgentInput } from '../../shared/agents/agent';
import { putAgent } from '../../shared/agents/agent-use-cases';
import { agentDeps } from '../../shared/agents/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** PUT /agents/{userId}: an agent's (or, by an admin, anyone's) presence, skills and capacity. */
export const handler = httpHandler({ body: putAgentInput }, async ({ caller, body, pathParameters, requestId }) => {
  const { agent, created } = await putAgent(agentDeps, caller, pathParameters.userId ?? '', body, requestId);
  return json(created ? 201 : 200, agentView(agent), created ? { location: `/agents/${agent.userId}` } : {});
});
