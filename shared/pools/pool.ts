import * as z from 'zod/mini';
import { GROUPS, type Caller } from '../access/caller';
import { text } from '../customers/fields';
import { type ReclaimPolicy, reclaimPolicySchema } from './reclaim-policy';

/**
 * A public pool (issue 4, DESIGN.md section 6): unowned customers that its members may claim, the
 * criteria that route a released customer into it, and the reclaim policy of the customers that
 * came from it. The tenant has exactly one default pool, which takes whatever no routing matches;
 * the repository keeps that invariant (it moves the flag in one transaction).
 */

export const MAX_POOL_USERS = 500;
export const MAX_ROUTING_VALUES = 50;

const userId = z.string().check(z.minLength(1, 'Expected a user id'), z.maxLength(128, 'A user id has at most 128 characters'));

const membersSchema = z.strictObject({
  users: z.array(userId).check(z.maxLength(MAX_POOL_USERS, `At most ${MAX_POOL_USERS} users; add a group instead`)),
  groups: z.array(z.enum(GROUPS)),
});

const routingValues = z.array(text(100)).check(z.maxLength(MAX_ROUTING_VALUES, `At most ${MAX_ROUTING_VALUES} values`));

const routingSchema = z.strictObject({
  industries: z.optional(routingValues),
  regions: z.optional(routingValues),
});

/** Request body of POST /pools. Unknown fields are rejected by name. */
export const createPoolInput = z.strictObject({
  name: text(100),
  description: z.optional(text(1000)),
  members: membersSchema,
  routing: z.optional(routingSchema),
  isDefault: z.optional(z.boolean()),
  policy: reclaimPolicySchema,
});
export type CreatePoolInput = z.output<typeof createPoolInput>;

/**
 * Request body of PATCH /pools/{id}, JSON Merge Patch (RFC 7396) like `customerPatch`: a field
 * present replaces, `null` clears, a missing field stays; `members` and `routing` merge per key.
 * Two deliberate exceptions: the policy is replaced as a whole (its rules are validated together,
 * e.g. the warning against the shortest N), and `isDefault` can only be set, not unset: the tenant
 * must always have a default pool, so making another pool the default is what unsets this one
 * (`false` on the default pool is refused with 409 by the use case; on another pool it changes nothing).
 */
export const poolPatch = z.strictObject({
  name: z.optional(text(100)),
  description: z.optional(z.nullable(text(1000))),
  members: z.optional(
    z.strictObject({
      users: z.optional(membersSchema.shape.users),
      groups: z.optional(membersSchema.shape.groups),
    }),
  ),
  routing: z.optional(
    z.nullable(
      z.strictObject({
        industries: z.optional(z.nullable(routingValues)),
        regions: z.optional(z.nullable(routingValues)),
      }),
    ),
  ),
  isDefault: z.optional(z.boolean()),
  policy: z.optional(reclaimPolicySchema),
});
export type PoolPatch = z.output<typeof poolPatch>;

export interface PoolMembers {
  users: string[];
  groups: Caller['groups'];
}

/** An empty list places no condition on that field. */
export interface PoolRouting {
  industries: string[];
  regions: string[];
}

export interface Pool {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  members: PoolMembers;
  routing: PoolRouting;
  isDefault: boolean;
  policy: ReclaimPolicy;
  /** +1 per policy change only: reclaim evaluations record it, so one can tell which rules applied. */
  policyVersion: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Routing values compare without case or surrounding spaces: customers' industry and region are free text. */
const routingKey = (value: string) => value.trim().toLowerCase();

/** Keeps the first spelling of values that compare equal, so the stored list has no duplicates. */
function uniqueValues(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = routingKey(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

function normalizeMembers(members: PoolMembers): PoolMembers {
  return { users: unique(members.users), groups: unique(members.groups) };
}

function normalizeRouting(routing: { industries?: string[] | null; regions?: string[] | null } | undefined | null): PoolRouting {
  return { industries: uniqueValues(routing?.industries ?? []), regions: uniqueValues(routing?.regions ?? []) };
}

export function newPool(input: CreatePoolInput, caller: Caller, id: string, nowIso: string): Pool {
  return {
    id,
    tenantId: caller.tenantId,
    name: input.name,
    description: input.description ?? null,
    members: normalizeMembers(input.members),
    routing: normalizeRouting(input.routing),
    isDefault: input.isDefault ?? false,
    policy: input.policy,
    policyVersion: 1,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

/** The public representation of a pool (GET/POST/PATCH /pools answer it): everything but the tenant. */
export function poolView(pool: Pool) {
  return {
    id: pool.id,
    name: pool.name,
    description: pool.description,
    members: pool.members,
    routing: pool.routing,
    isDefault: pool.isDefault,
    policy: pool.policy,
    policyVersion: pool.policyVersion,
    createdAt: pool.createdAt,
    createdBy: pool.createdBy,
    updatedAt: pool.updatedAt,
    updatedBy: pool.updatedBy,
    version: pool.version,
  };
}

export { isPoolMember } from './pool-membership';

export interface RoutingFacts {
  industry: string | null;
  region: string | null;
}

/**
 * How many of the pool's criteria the customer meets, or null when it misses one. A pool without
 * criteria matches nothing (0 would make it a second default): it only gets customers put there.
 */
export function routingSpecificity(pool: Pick<Pool, 'routing'>, customer: RoutingFacts): number | null {
  const criteria: [string[], string | null][] = [
    [pool.routing.industries, customer.industry],
    [pool.routing.regions, customer.region],
  ];
  let matched = 0;
  for (const [values, actual] of criteria) {
    if (values.length === 0) continue;
    if (actual === null || !values.some((value) => routingKey(value) === routingKey(actual))) return null;
    matched += 1;
  }
  return matched === 0 ? null : matched;
}

/** Oldest first (then by id): a pool created later never takes customers from an equal, older one. */
const byAge = (a: Pick<Pool, 'createdAt' | 'id'>, b: Pick<Pool, 'createdAt' | 'id'>) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? -1 : 1;

/** The tenant's default pool; should the invariant ever be broken, the oldest flagged one. */
export function defaultPool<P extends Pool>(pools: readonly P[]): P | null {
  return pools.filter((pool) => pool.isDefault).sort(byAge)[0] ?? null;
}

/**
 * The pool a released customer lands in: the pool meeting the most criteria (industry and region
 * beat either alone); among equals the oldest pool; no match -> the default pool; null only when
 * the tenant has no pools at all to fall back on.
 */
export function routePool<P extends Pool>(pools: readonly P[], customer: RoutingFacts): P | null {
  const ranked = pools
    .map((pool) => ({ pool, specificity: routingSpecificity(pool, customer) }))
    .filter((entry): entry is { pool: P; specificity: number } => entry.specificity !== null)
    .sort((a, b) => b.specificity - a.specificity || byAge(a.pool, b.pool));
  return ranked[0]?.pool ?? defaultPool(pools);
}

/** Fields compared to tell what an update changed. */
export const POOL_FIELDS = ['name', 'description', 'members', 'routing', 'isDefault', 'policy'] as const satisfies readonly (keyof Pool)[];
export type PoolField = (typeof POOL_FIELDS)[number];

/** JSON with sorted keys: the same policy sent with its levels in another order is no change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function patchedRouting(routing: PoolRouting, patch: PoolPatch['routing']): PoolRouting {
  if (patch === undefined) return routing;
  if (patch === null) return normalizeRouting(null);
  return normalizeRouting({
    industries: patch.industries === undefined ? routing.industries : patch.industries,
    regions: patch.regions === undefined ? routing.regions : patch.regions,
  });
}

/**
 * The pool after a merge patch and which fields really changed. `version` moves with any change;
 * `policyVersion` only with the policy, because a new policy applies from the next evaluation on
 * and each evaluation names the policy version it used.
 */
export function applyPoolPatch(pool: Pool, patch: PoolPatch, caller: Caller, nowIso: string): { after: Pool; changed: PoolField[] } {
  const next: Pool = {
    ...pool,
    name: patch.name ?? pool.name,
    description: patch.description === undefined ? pool.description : patch.description,
    members: normalizeMembers({ users: patch.members?.users ?? pool.members.users, groups: patch.members?.groups ?? pool.members.groups }),
    routing: patchedRouting(pool.routing, patch.routing),
    // Only moving the default here sets the flag; unsetting it happens to the old default, in the same transaction.
    isDefault: patch.isDefault === true || pool.isDefault,
    policy: patch.policy ?? pool.policy,
  };
  const changed = POOL_FIELDS.filter((field) => canonical(next[field]) !== canonical(pool[field]));
  if (changed.length === 0) return { after: pool, changed };
  return {
    after: {
      ...next,
      policyVersion: changed.includes('policy') ? pool.policyVersion + 1 : pool.policyVersion,
      updatedAt: nowIso,
      updatedBy: caller.userId,
      version: pool.version + 1,
    },
    changed,
  };
}
