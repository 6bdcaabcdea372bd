import * as z from 'zod/mini';

/**
 * Agents as the case router sees them (docs/service.md, "Routing to agents"): presence, skills and
 * a capacity of open cases, set by the agent or an admin; and the tenant's routing policy. Pure:
 * schemas, defaults, views. The router's choices are in shared/cases/routing.ts.
 */

export const PRESENCES = ['available', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];
export const ROUTING_STRATEGIES = ['round-robin', 'least-busy'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];
/** What happens to an agent's `new` and `open` cases when they stop being available. */
export const WHEN_AWAY = ['keep', 'requeue'] as const;
export type WhenAway = (typeof WHEN_AWAY)[number];

/** Open cases one agent may hold at most; the load is a set of case ids on one item, far below the 400 KB item limit. */
export const MAX_CAPACITY = 200;
/** Skills per kind: a routing table, not a CV. */
export const MAX_SKILLS = 50;

/** A language as BCP 47 writes it, lower-cased (`en`, `de`, `pt-br`); an agent's `pt` serves a case's `pt-br`. */
export const languageTag = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'Expected a language tag such as en, de or pt-br'));
/** A case category (the same form as a case's `category`). */
export const skillCategory = z.string().check(z.trim(), z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Expected a category such as billing or technical-issue (a-z, 0-9, -)'));

const distinct = <T extends z.ZodMiniType<string>>(item: T) =>
  z._default(
    z.array(item).check(
      z.maxLength(MAX_SKILLS),
      z.refine((values) => new Set(values).size === values.length, 'List each skill once'),
    ),
    [],
  );

/** PUT /agents/{userId}: the whole routing profile. An empty list of skills matches every case (docs/service.md). */
export const putAgentInput = z.strictObject({
  presence: z.enum(PRESENCES),
  skills: z._default(
    z.strictObject({
      categories: distinct(skillCategory),
      languages: distinct(languageTag),
    }),
    { categories: [], languages: [] },
  ),
  capacity: z.int().check(z.minimum(0), z.maximum(MAX_CAPACITY)),
});
export type PutAgentInput = z.output<typeof putAgentInput>;

/** PUT /routing-policy. */
export const routingPolicyInput = z.strictObject({
  strategy: z._default(z.enum(ROUTING_STRATEGIES), 'round-robin'),
  whenAway: z._default(z.enum(WHEN_AWAY), 'keep'),
});
export type RoutingPolicyInput = z.output<typeof routingPolicyInput>;

export interface RoutingPolicy {
  strategy: RoutingStrategy;
  whenAway: WhenAway;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A tenant that never set a policy: round-robin, and an agent who steps away keeps their cases. */
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = { strategy: 'round-robin', whenAway: 'keep', updatedAt: null, updatedBy: null };

export interface Agent {
  userId: string;
  tenantId: string;
  presence: Presence;
  skills: { categories: string[]; languages: string[] };
  capacity: number;
  /** Active cases assigned to them now (however assigned: routing, PATCH, POST /cases). */
  load: number;
  /** Cases routing gave them, ever: what round-robin balances. */
  assignedCount: number;
  /** When routing last gave them a case: the longest idle goes first among equals. */
  lastAssignedAt: string | null;
  presenceChangedAt: string;
  updatedAt: string;
  updatedBy: string;
}

export function agentView(a: Agent) {
  return {
    userId: a.userId,
    presence: a.presence,
    skills: { categories: [...a.skills.categories], languages: [...a.skills.languages] },
    capacity: a.capacity,
    load: a.load,
    assignedCount: a.assignedCount,
    lastAssignedAt: a.lastAssignedAt,
    presenceChangedAt: a.presenceChangedAt,
    updatedAt: a.updatedAt,
    updatedBy: a.updatedBy,
  };
}

export function routingPolicyView(p: RoutingPolicy) {
  return { strategy: p.strategy, whenAway: p.whenAway, updatedAt: p.updatedAt, updatedBy: p.updatedBy };
}
