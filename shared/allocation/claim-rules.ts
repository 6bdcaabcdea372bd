import type { Caller } from '../access/caller';
import { isPoolMember, type Pool } from '../pools/pool';
import { DAY_MS, type ReclaimPolicy } from '../pools/reclaim-policy';

/**
 * Claim and lock limits of a pool's policy. These checks give clear refusals with their numbers;
 * they are not the enforcement. Counters read before the write can be stale, so the repository
 * must also guard the daily and owned counters with conditions in the claim transaction (the
 * known weakness of established CRMs, DESIGN.md section 6); the `*Condition` functions give it the
 * bounds. This lives apart from reclaim-policy.ts because it needs pool membership (pool.ts
 * imports the policy schema, so the policy module cannot import pool.ts back).
 */

export type ClaimRefusal =
  | { reason: 'not-a-member' }
  | { reason: 'per-request-limit'; limit: number; requested: number }
  | { reason: 'daily-cap'; limit: number; used: number; requested: number }
  | { reason: 'max-owned'; limit: number; owned: number; requested: number }
  | { reason: 'already-owned' }
  | { reason: 'cooldown'; until: string };
export type ClaimCheck = { ok: true } | ({ ok: false } & ClaimRefusal);

const OK = { ok: true } as const;
const refuse = (refusal: ClaimRefusal): ClaimCheck => ({ ok: false, ...refusal });

/** The rep's side of a claim request, whatever the customers. */
export interface ClaimRequest {
  caller: Caller;
  pool: Pick<Pool, 'tenantId' | 'members' | 'policy'>;
  /** Customers the caller claimed today (UTC day, see `claimDay`), before this request. */
  claimedToday: number;
  /** Customers the caller owns now. */
  ownedCount: number;
  /** Customers in this request; 1 for a single claim. */
  requestedCount?: number;
}

/** The customer's side: who has it, and who lost it when. */
export interface ClaimTarget {
  ownerId: string | null;
  /** The owner it was last released or reclaimed from, and when (the cooldown reads both). */
  previousOwnerId: string | null;
  releasedAt: string | null;
}

/**
 * Membership first (a non-member learns nothing about the pool's limits), then the size of the
 * request, then the caps: the whole request must fit under each cap, or none of it is claimed.
 */
export function checkClaimRequest({ caller, pool, claimedToday, ownedCount, requestedCount = 1 }: ClaimRequest): ClaimCheck {
  const limits = pool.policy.claimLimits;
  if (!isPoolMember(caller, pool)) return refuse({ reason: 'not-a-member' });
  if (requestedCount > limits.perRequest) return refuse({ reason: 'per-request-limit', limit: limits.perRequest, requested: requestedCount });
  if (claimedToday + requestedCount > limits.perRepPerDay) {
    return refuse({ reason: 'daily-cap', limit: limits.perRepPerDay, used: claimedToday, requested: requestedCount });
  }
  if (ownedCount + requestedCount > limits.maxOwnedPerRep) {
    return refuse({ reason: 'max-owned', limit: limits.maxOwnedPerRep, owned: ownedCount, requested: requestedCount });
  }
  return OK;
}

/** When the previous owner may claim again: `releasedAt + M days`, or null without a release. */
export function cooldownUntil(target: ClaimTarget, policy: ReclaimPolicy): string | null {
  if (target.releasedAt === null || target.previousOwnerId === null) return null;
  return new Date(Date.parse(target.releasedAt) + policy.reclaimCooldownDays * DAY_MS).toISOString();
}

/**
 * One customer of the request. The cooldown binds only the previous owner, and ends exactly M
 * days after the release (from that instant the claim is allowed), so M = 0 never binds.
 */
export function checkClaimTarget(caller: Caller, target: ClaimTarget, policy: ReclaimPolicy, nowIso: string): ClaimCheck {
  if (target.ownerId !== null) return refuse({ reason: 'already-owned' });
  const until = cooldownUntil(target, policy);
  if (until !== null && target.previousOwnerId === caller.userId && Date.parse(nowIso) < Date.parse(until)) {
    return refuse({ reason: 'cooldown', until });
  }
  return OK;
}

/** A customer named in a bulk claim, as read (undefined: no such customer). */
export interface ChosenCustomer extends ClaimTarget {
  id: string;
  poolId: string | null;
  /** The pool it last came from; an owned customer counts as taken only for members of that pool. */
  homePoolId: string | null;
  /** Merged away or erased: no longer claimable, whatever its pool says. */
  tombstoned: boolean;
}

export type UnavailableReason = 'already-owned' | 'not-in-pool' | 'cooldown';

export interface ChosenSort<T> {
  /** Unowned, in the pool, no cooldown for the caller: these are claimed. */
  claimable: T[];
  /** The caller owns them already (a retried request): answered as claimed, not counted again. */
  alreadyYours: T[];
  unavailable: { customerId: string; reason: UnavailableReason; until?: string }[];
}

/**
 * Sorts the customers a rep chose from the pool's list. One that left this pool for an owner is
 * `already-owned` (the rep saw it there a moment ago); one that does not exist, belongs to another
 * pool or is a tombstone is `not-in-pool` alike, so the answer reveals nothing beyond the pool.
 */
export function sortChosenCustomers<T extends ChosenCustomer>(caller: Caller, poolId: string, policy: ReclaimPolicy, chosen: { id: string; customer: T | undefined }[], nowIso: string): ChosenSort<T> {
  const sorted: ChosenSort<T> = { claimable: [], alreadyYours: [], unavailable: [] };
  for (const { id, customer } of chosen) {
    if (customer && !customer.tombstoned && customer.ownerId === caller.userId) {
      sorted.alreadyYours.push(customer);
    } else if (!customer || customer.tombstoned || customer.poolId !== poolId) {
      const taken = customer !== undefined && !customer.tombstoned && customer.ownerId !== null && customer.homePoolId === poolId;
      sorted.unavailable.push({ customerId: id, reason: taken ? 'already-owned' : 'not-in-pool' });
    } else {
      const check = checkClaimTarget(caller, customer, policy, nowIso);
      if (check.ok) sorted.claimable.push(customer);
      else if (check.reason === 'cooldown') sorted.unavailable.push({ customerId: id, reason: 'cooldown', until: check.until });
      else sorted.unavailable.push({ customerId: id, reason: 'already-owned' });
    }
  }
  return sorted;
}

export interface ClaimAttempt extends ClaimRequest {
  customer: ClaimTarget;
  now: string;
}

/** A single claim (or the first customer of a batch): the request's checks, then the customer's. */
export function checkClaim(attempt: ClaimAttempt): ClaimCheck {
  const request = checkClaimRequest(attempt);
  if (!request.ok) return request;
  return checkClaimTarget(attempt.caller, attempt.customer, attempt.pool.policy, attempt.now);
}

/** What a client is told; the numbers come with it so the message never goes stale. */
export function claimRefusalMessage(refusal: ClaimRefusal): string {
  switch (refusal.reason) {
    case 'not-a-member':
      return 'Only members of this pool may claim from it';
    case 'per-request-limit':
      return `At most ${refusal.limit} customers per claim request (asked for ${refusal.requested})`;
    case 'daily-cap':
      return `Daily claim limit of ${refusal.limit} reached (${refusal.used} claimed today, ${refusal.requested} more asked for)`;
    case 'max-owned':
      return `A rep may own at most ${refusal.limit} customers (you own ${refusal.owned}, ${refusal.requested} more asked for)`;
    case 'already-owned':
      return 'The customer already has an owner';
    case 'cooldown':
      return `You released this customer recently and may claim it again from ${refusal.until}`;
  }
}

/** The counter key of the daily cap: the UTC day (tenant time zones are not modelled yet). */
export const claimDay = (nowIso: string) => new Date(Date.parse(nowIso)).toISOString().slice(0, 10);

/**
 * For the day counter's update `ADD claimed :n` guarded by
 * `attribute_not_exists(claimed) OR claimed < :limit`: the bound that lets the counter reach but
 * never pass the cap (`claimed + n <= perRepPerDay`). 0 or less: nothing can be claimed.
 */
export function dailyClaimCondition(policy: ReclaimPolicy, requestedCount = 1): number {
  return policy.claimLimits.perRepPerDay - requestedCount + 1;
}

/** Same for the rep's owned-customers counter (`owned < :limit` before adding n). */
export function ownedClaimCondition(policy: ReclaimPolicy, requestedCount = 1): number {
  return policy.claimLimits.maxOwnedPerRep - requestedCount + 1;
}

/** Same for the owner's locked-customers counter (`locked < :limit` before adding 1). */
export function lockCondition(policy: ReclaimPolicy): number {
  return policy.claimLimits.maxLockedPerRep;
}

export type LockRefusal = { reason: 'not-owned' } | { reason: 'max-locked'; limit: number; locked: number };
export type LockCheck = { ok: true; alreadyLocked: boolean } | ({ ok: false } & LockRefusal);

export interface LockAttempt {
  customer: { ownerId: string | null; locked: boolean };
  policy: ReclaimPolicy;
  /** Customers the owner has locked now (the cap counts the owner's, whoever locks). */
  lockedCount: number;
}

/**
 * A lock protects an owner's customer from reclaim, so only an owned customer can be locked.
 * Locking a locked customer is a no-op (`alreadyLocked`: do not count it again). Who may lock
 * (the owner, their manager, an admin) is the customers' write permission, checked by the use case.
 */
export function checkLock({ customer, policy, lockedCount }: LockAttempt): LockCheck {
  if (customer.ownerId === null) return { ok: false, reason: 'not-owned' };
  if (customer.locked) return { ok: true, alreadyLocked: true };
  const limit = policy.claimLimits.maxLockedPerRep;
  if (lockedCount + 1 > limit) return { ok: false, reason: 'max-locked', limit, locked: lockedCount };
  return { ok: true, alreadyLocked: false };
}

export function lockRefusalMessage(refusal: LockRefusal): string {
  switch (refusal.reason) {
    case 'not-owned':
      return 'Only a customer with an owner can be locked';
    case 'max-locked':
      return `An owner may lock at most ${refusal.limit} customers (${refusal.locked} locked now)`;
  }
}
