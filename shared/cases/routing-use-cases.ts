import { agentUpdatedV1 } from '../../events/agents/agent-updated.v1';
import { caseOpenedV1 } from '../../events/cases/case-opened.v1';
import { caseStatusChangedV1 } from '../../events/cases/case-status-changed.v1';
import { customerErasedV1 } from '../../events/customer-erased.v1';
import { busEventSchema } from '../../events/envelope';
import type { AgentRepository } from '../agents/agent-repository';
import { TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import { newEvent } from '../outbox/outbox';
import { type DirectoryUser, isActiveUser } from '../users/user';
import { type Case, isActive } from './case';
import type { CaseEvent, CaseRepository } from './case-repository';
import { canTake, isQueued, loadChange, pickAgent, requeued, ROUTABLE_STATUSES, ROUTING_ACTOR, routedTo, skillsFit } from './routing';

/**
 * Routing cases to available agents (docs/service.md, "Routing to agents"). A queued case is given
 * to the agent the policy picks in one transaction: the case over its version and the agent's item
 * on the conditions that make it exact (available, below capacity, still at the assignment count
 * read). A lost race reads again and picks again; a case that nobody fits stays in the queue.
 */
export interface RoutingDeps {
  cases: Pick<CaseRepository, 'get' | 'change' | 'list'>;
  agents: Pick<AgentRepository, 'roster' | 'get' | 'assignItem' | 'loadItems' | 'casesOfCustomer' | 'releaseClosed'>;
  /** The directory: a deactivated user's profile is never given a case (absent: every profile counts). */
  users?: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'status'> | undefined> };
}

export type RouteResult = { outcome: 'assigned'; agentId: string } | { outcome: 'queued' } | { outcome: 'not-queued' | 'not-found' };

/** Races lost in a row before routing gives up on a case (it stays queued; the next trigger tries again). */
const MAX_ATTEMPTS = 20;
/** Cases one drain reads from the queue at a time. */
const QUEUE_PAGE = 50;

const systemContext = (tenantId: string, correlationId: string) => ({ tenantId, actor: { type: 'system' as const, id: ROUTING_ACTOR }, correlationId });

function statusChanged(before: Case, after: Case, correlationId: string): CaseEvent {
  const detail = newEvent(caseStatusChangedV1, systemContext(after.tenantId, correlationId), {
    caseId: after.id,
    customerId: after.customerId,
    from: before.status,
    to: after.status,
    assigneeId: after.assigneeId,
    fromAssigneeId: before.assigneeId,
  });
  return { detailType: caseStatusChangedV1.detailType, detail };
}

/** Jitter between attempts, so routers that collided do not collide again in step. */
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/**
 * Gives one queued case to an agent, or leaves it queued when nobody can take it. Duplicate
 * deliveries and concurrent routers end with one owner: the case's version decides.
 * `exclude`: an agent who just put this case back (they are not given it again at once).
 */
export async function routeCase(deps: RoutingDeps, tenantId: string, caseId: string, correlationId: string, exclude?: string | null): Promise<RouteResult> {
  const active = new Map<string, boolean>();
  // Whether the directory still has the user as active: read once per user and routing.
  const stillActive = async (userId: string) => {
    if (!deps.users) return true;
    if (!active.has(userId)) {
      const user = await deps.users.get(tenantId, userId);
      active.set(userId, user !== undefined && isActiveUser(user));
    }
    return active.get(userId)!;
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const found = await deps.cases.get(tenantId, caseId, false);
    if (!found) return { outcome: 'not-found' };
    const current = found.case;
    if (!isQueued(current)) return { outcome: 'not-queued' };
    const { agents, policy } = await deps.agents.roster(tenantId);
    // After a lost race, draw among the equally fair agents so the routers that collided spread out.
    const pick = () => pickAgent(policy.strategy, agents.filter((a) => active.get(a.userId) !== false), current, exclude, attempt > 1 ? Math.random : undefined);
    let agent = pick();
    while (agent && !(await stillActive(agent.userId))) agent = pick();
    if (!agent) return { outcome: 'queued' };
    const nowIso = clock.nowIso();
    const after = routedTo(current, agent.userId, nowIso);
    try {
      const outcome = await deps.cases.change(after, current.version, undefined, [statusChanged(current, after, correlationId)], [deps.agents.assignItem(tenantId, agent, caseId, nowIso)]);
      if (outcome.outcome === 'written') return { outcome: 'assigned', agentId: agent.userId };
      if (outcome.outcome === 'customer-gone') return { outcome: 'not-queued' };
      // stale: someone else changed the case (took it, routed it): read it again.
    } catch (error) {
      // The agent filled up, stepped away, or another router gave them a case first: pick again.
      if (!(error instanceof TransactionConditionFailed && error.failed('agent'))) throw error;
    }
    await pause(attempt);
  }
  return { outcome: 'queued' };
}

/**
 * Routes the queue's cases the agent can take, oldest first (new cases, then open ones put back),
 * until the agent is full, unavailable, or nothing they fit is left. Each case is routed by the
 * policy as a new one would be, so the agent who freed up competes fairly with anyone else free.
 * `skipCaseId`: the case the agent just put back.
 */
export async function drainQueueFor(deps: RoutingDeps, tenantId: string, userId: string, correlationId: string, skipCaseId?: string): Promise<{ assigned: number }> {
  let assigned = 0;
  for (const status of ROUTABLE_STATUSES) {
    let cursor: string | undefined;
    do {
      const agent = await deps.agents.get(tenantId, userId);
      if (!agent || agent.presence !== 'available' || agent.load >= agent.capacity) return { assigned };
      const page = await deps.cases.list(tenantId, null, 'active', status, QUEUE_PAGE, cursor);
      for (const queued of page.items) {
        if (queued.id === skipCaseId || !skillsFit(agent.skills, queued)) continue;
        const result = await routeCase(deps, tenantId, queued.id, correlationId);
        if (result.outcome === 'assigned') assigned++;
        // Nobody could take a case this agent fits: they are full or gone; stop reading.
        if (result.outcome === 'queued') return { assigned };
        const now = await deps.agents.get(tenantId, userId);
        if (!now || !canTake(now, queued)) return { assigned };
      }
      cursor = page.cursor ?? undefined;
    } while (cursor);
  }
  return { assigned };
}

/**
 * An agent who is no longer available, under `whenAway: requeue`: their `new` and `open` cases go
 * back to the queue (as `new`, unassigned), each in its own transaction that also takes it off
 * their load; each commits `crm.case.status-changed.v1`, on which the router routes it again.
 * Cases pending the customer stay with them. Nothing happens while they are available again.
 */
export async function requeueCasesOf(deps: RoutingDeps, tenantId: string, userId: string, correlationId: string): Promise<{ requeued: number }> {
  const agent = await deps.agents.get(tenantId, userId);
  if (!agent || agent.presence === 'available') return { requeued: 0 };
  const { policy } = await deps.agents.roster(tenantId);
  if (policy.whenAway !== 'requeue') return { requeued: 0 };
  let count = 0;
  for (const status of ROUTABLE_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await deps.cases.list(tenantId, userId, 'active', status, QUEUE_PAGE, cursor);
      for (const listed of page.items) if (await requeueOne(deps, tenantId, listed.id, userId, correlationId)) count++;
      cursor = page.cursor ?? undefined;
    } while (cursor);
  }
  return { requeued: count };
}

async function requeueOne(deps: RoutingDeps, tenantId: string, caseId: string, userId: string, correlationId: string): Promise<boolean> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const found = await deps.cases.get(tenantId, caseId, false);
    const current = found?.case;
    if (!current || current.assigneeId !== userId || !(ROUTABLE_STATUSES as readonly string[]).includes(current.status)) return false;
    const after = requeued(current, clock.nowIso());
    const outcome = await deps.cases.change(after, current.version, undefined, [statusChanged(current, after, correlationId)], deps.agents.loadItems(tenantId, caseId, loadChange(current, after)));
    if (outcome.outcome === 'written') return true;
    if (outcome.outcome === 'customer-gone') return false;
  }
  return false;
}

/**
 * Erasure closes a customer's active cases by scrubbing the partition, outside the case use cases:
 * their ids come off their agents' loads here, and the queue is drained for each agent freed. A
 * closed case takes nothing more, so releasing it cannot race a write that puts it back. A case not
 * yet closed means the scrub is still under way: failing lets the bus deliver the event again.
 */
export async function releaseErasedCases(deps: RoutingDeps, tenantId: string, customerId: string, correlationId: string): Promise<{ released: number }> {
  const cases = await deps.agents.casesOfCustomer(tenantId, customerId);
  if (cases.some((c) => isActive(c.status as Case['status']))) throw new Error(`The cases of erased customer ${customerId} are not all closed yet`);
  const byAgent = new Map<string, string[]>();
  for (const c of cases) if (c.assigneeId && c.status === 'closed') byAgent.set(c.assigneeId, [...(byAgent.get(c.assigneeId) ?? []), c.id]);
  for (const [userId, ids] of byAgent) {
    await deps.agents.releaseClosed(tenantId, userId, ids);
    await drainQueueFor(deps, tenantId, userId, correlationId);
  }
  return { released: [...byAgent.values()].reduce((n, ids) => n + ids.length, 0) };
}

/**
 * The rule target on `crm.case.opened.v1`, `crm.case.status-changed.v1` and `crm.agent.updated.v1`:
 * a new unassigned case is routed; a case back in the queue is routed (not to who put it back); a
 * case that left an agent (resolved, closed, reassigned, queued) drains the queue for them; an
 * agent's new profile drains the queue for them, or requeues their cases; an erased customer's
 * closed cases leave their agents' loads. Each step acts on the
 * state it reads, so a repeated delivery finds nothing more to do.
 */
export async function onRoutingEvent(deps: RoutingDeps, event: unknown): Promise<unknown> {
  const bus = busEventSchema.parse(event);
  switch (bus['detail-type']) {
    case caseOpenedV1.detailType: {
      const detail = caseOpenedV1.schema.parse(bus.detail);
      if (detail.data.assigneeId !== null) return { outcome: 'not-queued' };
      return routeCase(deps, detail.tenantId, detail.data.caseId, detail.correlationId);
    }
    case caseStatusChangedV1.detailType: {
      const { tenantId, correlationId, data } = caseStatusChangedV1.schema.parse(bus.detail);
      const from = data.fromAssigneeId ?? null;
      const routed = data.assigneeId === null && (ROUTABLE_STATUSES as readonly string[]).includes(data.to) ? await routeCase(deps, tenantId, data.caseId, correlationId, from) : undefined;
      const left = from !== null && (from !== data.assigneeId || !isActive(data.to));
      const drained = left ? await drainQueueFor(deps, tenantId, from, correlationId, data.caseId) : undefined;
      return { routed, drained };
    }
    case agentUpdatedV1.detailType: {
      const { tenantId, correlationId, data } = agentUpdatedV1.schema.parse(bus.detail);
      if (data.presence === 'available') return drainQueueFor(deps, tenantId, data.userId, correlationId);
      return requeueCasesOf(deps, tenantId, data.userId, correlationId);
    }
    case customerErasedV1.detailType: {
      const { tenantId, correlationId, data } = customerErasedV1.schema.parse(bus.detail);
      return releaseErasedCases(deps, tenantId, data.customerId, correlationId);
    }
    default:
      return { outcome: 'ignored' };
  }
}
