import type { Agent, RoutingStrategy } from '../agents/agent';
import { type Case, isActive } from './case';

/**
 * Routing cases to available agents (docs/service.md, "Routing to agents"): who may take a case,
 * whom the strategy picks, what a case does to its agent's load, what going back to the queue
 * does to a case. Pure; the use cases in routing-use-cases.ts make it exact under concurrency.
 */

/** Statuses a case in the queue (no assignee) is routed from: `pending-customer` waits for the customer, not for an agent. */
export const ROUTABLE_STATUSES = ['new', 'open'] as const;

/** Waiting in the queue for routing: unassigned, and new or open. */
export const isQueued = (c: Pick<Case, 'assigneeId' | 'status'>) => c.assigneeId === null && (ROUTABLE_STATUSES as readonly string[]).includes(c.status);

/** An agent's language serves the case's own and its regional forms: `pt` serves `pt-br`, `pt-br` serves only `pt-br`. */
const speaks = (agentLanguage: string, caseLanguage: string) => caseLanguage === agentLanguage || caseLanguage.startsWith(`${agentLanguage}-`);

/**
 * Whether the agent's skills fit the case. An empty list of categories (or languages) is a
 * generalist: it matches every case. A case without a language fits any agent.
 */
export function skillsFit(skills: Agent['skills'], c: Pick<Case, 'category' | 'language'>): boolean {
  const category = skills.categories.length === 0 || skills.categories.includes(c.category);
  const language = !c.language || skills.languages.length === 0 || skills.languages.some((l) => speaks(l, c.language!));
  return category && language;
}

/** Whether routing may give the agent one more case now: available, below capacity, skills fit. */
export function canTake(agent: Pick<Agent, 'presence' | 'load' | 'capacity' | 'skills'>, c: Pick<Case, 'category' | 'language'>): boolean {
  return agent.presence === 'available' && agent.load < agent.capacity && skillsFit(agent.skills, c);
}

type Candidate = Pick<Agent, 'userId' | 'presence' | 'load' | 'capacity' | 'skills' | 'assignedCount' | 'lastAssignedAt'>;

/** Never assigned is the longest idle; otherwise the earlier instant (ISO strings of one format sort as time). */
const idleOrder = (a: Candidate, b: Candidate) => {
  if (a.lastAssignedAt === b.lastAssignedAt) return 0;
  if (a.lastAssignedAt === null) return -1;
  if (b.lastAssignedAt === null) return 1;
  return a.lastAssignedAt < b.lastAssignedAt ? -1 : 1;
};

/** load/capacity compared without division (capacity is at least 1 for anyone who can take a case). */
const busyOrder = (a: Candidate, b: Candidate) => a.load * b.capacity - b.load * a.capacity;

/** What each strategy balances first; among equals on it, the longest idle goes first. */
const PRIMARY: Record<RoutingStrategy, (a: Candidate, b: Candidate) => number> = {
  // Fewest routing assignments first: within agents of one skill group the counts never differ by
  // more than one while they all have room.
  'round-robin': (a, b) => a.assignedCount - b.assignedCount,
  // The lowest share of capacity in use first; then as round-robin would choose.
  'least-busy': (a, b) => busyOrder(a, b) || a.assignedCount - b.assignedCount,
};

/**
 * The agent the strategy gives the case to, among those who can take it (not `exclude`: the
 * agent who just put it back), or undefined when nobody can: the case waits in the queue.
 * Without `random`, equals on the strategy's figure go to the longest idle, then the lowest user
 * id, so the choice is a function of its inputs. With `random` (a router that just lost a race for
 * an agent), one of those equals is drawn instead: routers that collided spread over the equally
 * fair agents instead of colliding again, and fairness holds either way (any of them is fair).
 */
export function pickAgent<T extends Candidate>(
  strategy: RoutingStrategy,
  agents: readonly T[],
  c: Pick<Case, 'category' | 'language'>,
  exclude?: string | null,
  random?: () => number,
): T | undefined {
  const primary = PRIMARY[strategy];
  const order = (a: T, b: T) => primary(a, b) || idleOrder(a, b) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
  const able = agents.filter((agent) => agent.userId !== exclude && canTake(agent, c)).sort(order);
  const best = able[0];
  if (!best || !random) return best;
  const equals = able.filter((agent) => primary(agent, best) === 0);
  return equals[Math.min(equals.length - 1, Math.floor(random() * equals.length))];
}

/** The agent whose load a case counts toward: its assignee while the case is active. */
export const loadHolder = (c: Pick<Case, 'assigneeId' | 'status'>): string | null => (c.assigneeId !== null && isActive(c.status) ? c.assigneeId : null);

/**
 * What a write of a case does to agents' loads: the case leaves one agent's load (resolved,
 * closed, reassigned, back to the queue) and joins another's. Nothing when the holder stays.
 */
export function loadChange(before: Pick<Case, 'assigneeId' | 'status'> | undefined, after: Pick<Case, 'assigneeId' | 'status'>): { remove: string | null; add: string | null } {
  const from = before ? loadHolder(before) : null;
  const to = loadHolder(after);
  return from === to ? { remove: null, add: null } : { remove: from, add: to };
}

/** The case given to an agent by routing: a new case opens (as taking it by hand does). */
export function routedTo(current: Case, agentId: string, nowIso: string): Case {
  return {
    ...current,
    assigneeId: agentId,
    status: current.status === 'new' ? 'open' : current.status,
    updatedAt: nowIso,
    updatedBy: ROUTING_ACTOR,
    version: current.version + 1,
  };
}

/** The case of an agent who went away, back in the queue as `new` (nobody has it: it waits to be taken, and is routed again). */
export function requeued(current: Case, nowIso: string): Case {
  return { ...current, assigneeId: null, status: 'new', updatedAt: nowIso, updatedBy: ROUTING_ACTOR, version: current.version + 1 };
}

/** Who routing's writes are by (`updatedBy`, the events' system actor). */
export const ROUTING_ACTOR = 'routing';
