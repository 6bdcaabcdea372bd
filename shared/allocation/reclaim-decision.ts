import * as z from 'zod/mini';
import { type Customer, LIFECYCLE_STAGES } from '../customers/customer';
import { type Pool, routePool } from '../pools/pool';
import {
  exemption,
  isDue,
  needsWarning,
  reclaimCycleId,
  type ReclaimFacts,
  reclaimSchedule,
  type ReclaimSchedule,
  warningAt,
} from '../pools/reclaim-policy';
import { OWNER_CHANGE_FIELDS, released } from './ownership';
import type { OwnershipChange } from './ownership-history';

/**
 * What the reclaim sweep does with one due customer (docs/allocation.md, "The reclaim sweep"), as
 * pure functions of the profile read, the tenant's pools and the run's time. The repository then
 * writes the result conditional on everything the decision read, so a write racing the sweep wins.
 */

/** Who the sweep's writes name as their author (`updatedBy`, history and event actor). */
export const SWEEP_ACTOR = { type: 'system', id: 'reclaim' } as const;
export const SWEEP_USER = 'system:reclaim';

export type ReclaimDecision =
  /** The index entry no longer describes the customer (released, rescheduled, erased meanwhile): leave it. */
  | { kind: 'stale' }
  /** The tenant has no pool to return the customer to (nor a policy to judge it by). */
  | { kind: 'no-pool' }
  | { kind: 'exempt'; reason: 'locked' | 'closed-won'; home: Pool }
  | { kind: 'reclaim'; home: Pool; pool: Pool; schedule: ReclaimSchedule }
  | { kind: 'warn'; home: Pool; schedule: ReclaimSchedule; cycle: string }
  /** Not due and nothing to say yet: look again at `checkAt` (null: no clock runs, never). */
  | { kind: 'reschedule'; home: Pool; checkAt: string | null; reclaimAt: string | null };

const ms = (iso: string) => Date.parse(iso);

export function reclaimFacts(customer: Customer): ReclaimFacts {
  return {
    ownerId: customer.ownerId,
    assignedAt: customer.assignedAt,
    lastFollowUpAt: customer.lastFollowUpAt,
    level: customer.level,
    locked: customer.locked,
    lifecycleStage: customer.lifecycleStage,
    hasOpenDeal: (customer.openDeals ?? 0) > 0,
    lastOpenDealAt: customer.lastOpenDealAt ?? null,
    lastWonDealAt: customer.lastWonDealAt ?? null,
  };
}

/**
 * The decision for a customer the index says is due at `nowIso`. The policy is the home pool's
 * (where it was claimed from or last routed to; a missing one routes again); a reclaimed customer
 * lands in the pool routing picks for it now (industry and region, else the default pool).
 */
export function decideReclaim(customer: Customer, pools: readonly Pool[], nowIso: string): ReclaimDecision {
  if (customer.ownerId === null || customer.reclaimCheckAt === null || ms(customer.reclaimCheckAt) > ms(nowIso)) return { kind: 'stale' };
  const routed = routePool(pools, customer);
  if (!routed) return { kind: 'no-pool' };
  const home = pools.find((pool) => pool.id === customer.homePoolId) ?? routed;
  const facts = reclaimFacts(customer);
  const { policy } = home;

  const reason = exemption(facts, policy);
  if (reason) return { kind: 'exempt', reason, home };
  const schedule = reclaimSchedule(facts, policy);
  if (!schedule) return { kind: 'reschedule', home, checkAt: null, reclaimAt: null };
  if (isDue(facts, policy, nowIso)) return { kind: 'reclaim', home, pool: routed, schedule };
  const cycle = reclaimCycleId(facts, policy)!;
  if (needsWarning(facts, policy, nowIso, customer.warnedCycle)) return { kind: 'warn', home, schedule, cycle };
  const warnAt = warningAt(facts, policy);
  const warningAhead = warnAt !== null && ms(warnAt) > ms(nowIso) && customer.warnedCycle !== cycle;
  return { kind: 'reschedule', home, checkAt: warningAhead ? warnAt : schedule.reclaimAt, reclaimAt: schedule.reclaimAt };
}

/** Profile fields a reclaim writes: the same as a release. */
export const RECLAIM_FIELDS = OWNER_CHANGE_FIELDS;

export const SCHEDULE_FIELDS = ['homePoolId', 'reclaimCheckAt'] as const satisfies readonly (keyof Customer)[];
export const WARNING_FIELDS = ['homePoolId', 'reclaimCheckAt', 'warnedCycle'] as const satisfies readonly (keyof Customer)[];

/** The customer back in `pool`: a release by the system, remembering the owner for the cooldown. */
export function reclaimedCustomer(customer: Customer, pool: Pool, nowIso: string): Customer {
  return released(customer, { userId: SWEEP_USER, tenantId: customer.tenantId, groups: [] }, pool.id, nowIso);
}

export function reclaimHistory(customer: Customer, pool: Pool, id: string, nowIso: string): OwnershipChange {
  return {
    id,
    customerId: customer.id,
    from: customer.ownerId,
    to: null,
    poolId: pool.id,
    reason: 'reclaimed',
    note: null,
    actor: { ...SWEEP_ACTOR },
    at: nowIso,
  };
}

const isoTime = z.iso.datetime();

/**
 * The profile fields the rules and the writes depend on. A profile that does not fit (a broken
 * migration, a hand-made item) cannot be judged: the sweep reports it as failed and leaves it.
 */
const sweptProfile = z.object({
  id: z.string().check(z.minLength(1)),
  tenantId: z.string().check(z.minLength(1)),
  name: z.string(),
  ownerId: z.nullable(z.string().check(z.minLength(1))),
  assignedAt: z.nullable(isoTime),
  lastFollowUpAt: z.nullable(isoTime),
  level: z.nullable(z.string()),
  locked: z.boolean(),
  lifecycleStage: z.enum(LIFECYCLE_STAGES),
  industry: z.nullable(z.string()),
  region: z.nullable(z.string()),
  homePoolId: z.nullable(z.string()),
  reclaimCheckAt: z.nullable(isoTime),
  warnedCycle: z.nullable(z.string()),
  updatedAt: isoTime,
  version: z.number(),
});

export class UnreadableProfile extends Error {
  override readonly name = 'UnreadableProfile';
}

export function assertSweepable(customer: Customer): Customer {
  const parsed = sweptProfile.safeParse(customer);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.map(String).join('.')))].join(', ');
    throw new UnreadableProfile(`Customer ${String(customer.id)} cannot be evaluated: invalid ${fields}`);
  }
  return customer;
}
