import { agentUpdatedV1 } from '../../events/agents/agent-updated.v1';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { worksCases } from '../cases/case';
import { clock } from '../clock';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../errors';
import { newEvent } from '../outbox/outbox';
import { type DirectoryUser, isActiveUser } from '../users/user';
import type { Agent, PutAgentInput, RoutingPolicy, RoutingPolicyInput } from './agent';
import type { AgentRepository } from './agent-repository';

/** What the agent routes read and write; the wiring gives the real ones. */
export interface AgentDeps {
  agents: Pick<AgentRepository, 'get' | 'roster' | 'putProfile' | 'policy' | 'putPolicy'>;
  users: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'status'> | undefined> };
}

export class AgentNotFound extends NotFound {
  constructor(userId: string) {
    super(`No routing profile for user ${userId}; PUT /agents/${userId} makes one`);
  }
}

/** Two PUTs of one agent racing: the loser reads again and writes over the winner (the last PUT wins, each with its event). */
const MAX_ATTEMPTS = 3;

function assertWorksCases(caller: Caller): void {
  if (!worksCases(caller)) throw new Forbidden('Only agents, managers and admins read the routing of cases');
}

/**
 * PUT /agents/{userId}: an agent sets their own presence, skills and capacity; an admin anyone's.
 * The user must be an active user of the tenant. Commits `crm.agent.updated.v1`, on which the
 * router drains the queue for an available agent or requeues an absent one's cases (per policy).
 */
export async function putAgent(deps: AgentDeps, caller: Caller, userId: string, input: PutAgentInput, correlationId: string): Promise<{ agent: Agent; created: boolean }> {
  const self = caller.userId === userId && worksCases(caller);
  if (!self && !isAdmin(caller)) throw new Forbidden('Agents set their own presence, skills and capacity; admins anyone\'s');
  const user = await deps.users.get(caller.tenantId, userId);
  if (!user || !isActiveUser(user)) throw new ValidationFailed([{ path: 'path.userId', message: 'Not an active user of this tenant (see GET /users)' }]);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await deps.agents.get(caller.tenantId, userId);
    const nowIso = clock.nowIso();
    const profile = {
      userId,
      tenantId: caller.tenantId,
      presence: input.presence,
      skills: input.skills,
      capacity: input.capacity,
      presenceChangedAt: current && current.presence === input.presence ? current.presenceChangedAt : nowIso,
      updatedAt: nowIso,
      updatedBy: caller.userId,
    };
    const event = newEvent(agentUpdatedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
      userId,
      presence: input.presence,
      previousPresence: current?.presence ?? null,
      capacity: input.capacity,
      previousCapacity: current?.capacity ?? null,
    });
    if (await deps.agents.putProfile(profile, current?.version ?? 0, { detailType: agentUpdatedV1.detailType, detail: event })) {
      const written = await deps.agents.get(caller.tenantId, userId);
      return { agent: written ?? { ...profile, load: current?.load ?? 0, assignedCount: current?.assignedCount ?? 0, lastAssignedAt: current?.lastAssignedAt ?? null }, created: !current };
    }
  }
  throw new Conflict(`The routing profile of ${userId} is being changed by someone else right now; try again`);
}

/** GET /agents/{userId}: service staff. */
export async function getAgent(deps: AgentDeps, caller: Caller, userId: string): Promise<Agent> {
  assertWorksCases(caller);
  const agent = await deps.agents.get(caller.tenantId, userId);
  if (!agent) throw new AgentNotFound(userId);
  return agent;
}

/** GET /agents: the tenant's agents with presence, skills, capacity and load; one Query. */
export async function listAgents(deps: AgentDeps, caller: Caller): Promise<Agent[]> {
  assertWorksCases(caller);
  return (await deps.agents.roster(caller.tenantId)).agents;
}

/** GET /routing-policy: service staff (the defaults until an admin sets one). */
export async function getRoutingPolicy(deps: AgentDeps, caller: Caller): Promise<RoutingPolicy> {
  assertWorksCases(caller);
  return deps.agents.policy(caller.tenantId);
}

/** PUT /routing-policy: admins. Applies to the next routing decision; cases already assigned stay. */
export async function putRoutingPolicy(deps: AgentDeps, caller: Caller, input: RoutingPolicyInput): Promise<RoutingPolicy> {
  if (!isAdmin(caller)) throw new Forbidden('Only an admin sets the routing policy');
  const policy: RoutingPolicy = { strategy: input.strategy, whenAway: input.whenAway, updatedAt: clock.nowIso(), updatedBy: caller.userId };
  await deps.agents.putPolicy(caller.tenantId, policy);
  return policy;
}
