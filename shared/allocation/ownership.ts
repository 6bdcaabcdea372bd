import type { Caller } from '../access/caller';
import type { Customer } from '../customers/customer';
import type { OwnershipChange, OwnershipReason } from './ownership-history';

/**
 * What each ownership operation does to a customer (docs/allocation.md), as pure functions of the
 * customer read, the caller and the time. The repository writes exactly the fields an operation
 * owns, conditional on the version read, so none of these can act on a stale copy.
 */

/** Fields a change of owner (claim, release, assignment) writes: it starts a new reclaim cycle. */
export const OWNER_CHANGE_FIELDS = [
  'ownerId', 'teamId', 'poolId', 'homePoolId', 'assignedAt', 'locked', 'previousOwnerId', 'releasedAt', 'reclaimCheckAt', 'warnedCycle',
  'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof Customer)[];

/**
 * Fields a lock or unlock writes. Not `warnedCycle`, which the reclaim sweep maintains: a lock in
 * the middle of a cycle must not make the sweep warn twice.
 */
export const LOCK_FIELDS = ['locked', 'reclaimCheckAt', 'updatedAt', 'updatedBy', 'version'] as const satisfies readonly (keyof Customer)[];

const touched = (customer: Customer, caller: Caller, nowIso: string) => ({
  updatedAt: nowIso,
  updatedBy: caller.userId,
  version: customer.version + 1,
});

/**
 * The caller takes the customer out of `poolId`: that pool becomes its home (its policy governs
 * the customer from now), and the reclaim sweep looks at it at once to schedule the new cycle.
 */
export function claimed(customer: Customer, caller: Caller, poolId: string, nowIso: string): Customer {
  return {
    ...customer,
    ownerId: caller.userId,
    teamId: caller.teamId ?? null,
    poolId: null,
    homePoolId: poolId,
    assignedAt: nowIso,
    locked: false,
    reclaimCheckAt: nowIso,
    warnedCycle: null,
    ...touched(customer, caller, nowIso),
  };
}

/** The owner lets go: the customer waits in `poolId`, and its owner may not claim it back for a while. */
export function released(customer: Customer, caller: Caller, poolId: string, nowIso: string): Customer {
  return {
    ...customer,
    ownerId: null,
    teamId: null,
    poolId,
    homePoolId: poolId,
    assignedAt: null,
    locked: false,
    previousOwnerId: customer.ownerId,
    releasedAt: nowIso,
    reclaimCheckAt: null,
    warnedCycle: null,
    ...touched(customer, caller, nowIso),
  };
}

/**
 * A manager or admin gives the customer to `ownerId` (from a pool, unassigned, or from another
 * owner: a transfer). A pooled customer keeps that pool as its home. The previous owner and
 * release time stay: a transfer is not a release, so it starts no cooldown.
 */
export function assigned(customer: Customer, caller: Caller, ownerId: string, teamId: string | null, nowIso: string): Customer {
  return {
    ...customer,
    ownerId,
    teamId,
    poolId: null,
    homePoolId: customer.poolId ?? customer.homePoolId,
    assignedAt: nowIso,
    locked: false,
    reclaimCheckAt: nowIso,
    warnedCycle: null,
    ...touched(customer, caller, nowIso),
  };
}

/**
 * Lock: the reclaim check time stays (the sweep sees the exemption when it comes). Unlock: the
 * exemption ends, so the sweep looks at the customer at once.
 */
export function withLock(customer: Customer, caller: Caller, locked: boolean, nowIso: string): Customer {
  return {
    ...customer,
    locked,
    reclaimCheckAt: locked ? customer.reclaimCheckAt : nowIso,
    ...touched(customer, caller, nowIso),
  };
}

/** The history entry of a change of owner made by a user. */
export function ownershipChange(
  before: Customer,
  after: Customer,
  reason: OwnershipReason,
  caller: Caller,
  id: string,
  extra: { poolId: string | null; note?: string | null },
): OwnershipChange {
  return {
    id,
    customerId: before.id,
    from: before.ownerId,
    to: after.ownerId,
    poolId: extra.poolId,
    reason,
    note: extra.note ?? null,
    actor: { type: 'user', id: caller.userId },
    at: after.updatedAt,
  };
}

/** The next UTC midnight: when a daily claim counter (keyed by `claimDay`) starts over. */
export function nextClaimDay(nowIso: string): string {
  const now = new Date(Date.parse(nowIso));
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
}
