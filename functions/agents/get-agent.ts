import { agentView } from '../../shared/agents/agent';
import { getAgent } from '../../shared/agents/agent-use-cases';
import { agentDeps } from '../../shared/agents/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /agents/{userId}: one agent's routing profile and load. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => json(200, agentView(await getAgent(agentDeps, caller, pathParameters.userId ?? ''))));
