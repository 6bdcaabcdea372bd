// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { AgentRepository } from './agent-repository';
import type { AgentDeps } from './agent-use-cases';

export const agentRepository = /* @__PURE__ */ new AgentRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));

/** What the agent and routing-policy routes read and write. */
export const agentDeps: AgentDeps = { agents: agentRepository, users: userDirectory };
