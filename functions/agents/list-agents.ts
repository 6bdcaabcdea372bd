import { agentView } from '../../shared/agents/agent';
import { listAgents } from '../../shared/agents/agent-use-cases';
import { agentDeps } from '../../shared/agents/wiring';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /agents: the tenant's agents with presence, skills, capacity and load. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listAgents(agentDeps, caller)).map(agentView) }));
