import { customerClaimedV1 } from '../../events/customer-claimed.v1';
import type { Caller } from '../access/caller';
import type { Customer } from '../customers/customer';
import { AlreadyClaimed, ClaimCooldown, ClaimLimitReached, Conflict, CustomerNotFound, type DomainError, MaxOwnedReached } from '../errors';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import { claimDay, type ClaimRefusal, claimRefusalMessage, dailyClaimCondition, ownedClaimCondition } from './claim-rules';
import type { Pool } from '../pools/pool';
import { DAY_MS } from '../pools/reclaim-policy';
import { claimed, nextClaimDay, OWNER_CHANGE_FIELDS, ownershipChange } from './ownership';
import type { CounterChange, ProfileChange } from './ownership-repository';
import { bookCounter, dailyClaimsCounter } from './user-counters';
import { eventContext } from './ownership-write';

/**
 * What a claim writes, shared by the single claim (POST /customers/{id}/claim) and the bulk claim
 * (POST /pools/{id}/claim): per customer the profile change, its history and event; per request
 * the rep's daily and owned counters, each bounded so the caps hold under any concurrency.
 */

/** A refusal of the claim rules as the error the client gets, with its numbers. */
export function claimRefused(refusal: ClaimRefusal, customerId: string, nowIso: string): DomainError {
  const message = claimRefusalMessage(refusal);
  switch (refusal.reason) {
    case 'not-a-member':
      // A non-member cannot see the pool's customers: the customer does not exist for them.
      return new CustomerNotFound(customerId);
    case 'already-owned':
      return new AlreadyClaimed(customerId);
    case 'cooldown':
      return new ClaimCooldown(message, refusal.until);
    case 'daily-cap': {
      const resetsAt = nextClaimDay(nowIso);
      return new ClaimLimitReached(message, refusal.limit, refusal.used, resetsAt, Math.max(1, Math.ceil((Date.parse(resetsAt) - Date.parse(nowIso)) / 1000)));
    }
    case 'max-owned':
      return new MaxOwnedReached(message, refusal.limit, refusal.owned);
    case 'per-request-limit':
      return new Conflict(message);
  }
}

/** One customer leaving the pool for the caller, conditional on still waiting in it (and the cooldown). */
export function claimChange(customer: Customer, caller: Caller, pool: Pool, nowIso: string, correlationId: string): ProfileChange {
  const after = claimed(customer, caller, pool.id, nowIso);
  const { reclaimCooldownDays } = pool.policy;
  // The cooldown binds only its previous owner; the version condition pins who that is.
  const cooldown =
    customer.previousOwnerId === caller.userId && reclaimCooldownDays > 0
      ? { expression: 'releasedAt <= :cooldownBoundary', values: { ':cooldownBoundary': new Date(Date.parse(nowIso) - reclaimCooldownDays * DAY_MS).toISOString() } }
      : undefined;
  return {
    before: customer,
    after,
    fields: OWNER_CHANGE_FIELDS,
    condition: {
      expression: `ownerId = :noOwner AND poolId = :fromPool${cooldown ? ` AND ${cooldown.expression}` : ''}`,
      values: { ':noOwner': null, ':fromPool': pool.id, ...cooldown?.values },
    },
    history: ownershipChange(customer, after, 'claimed', caller, newId(), { poolId: pool.id }),
    events: [
      {
        detailType: customerClaimedV1.detailType,
        detail: newEvent(customerClaimedV1, eventContext(caller, correlationId), {
          customerId: customer.id,
          fromOwnerId: null,
          toOwnerId: caller.userId,
          poolId: pool.id,
          version: after.version,
        }),
      },
    ],
  };
}

/** The rep's counters for `claims` customers at once: the day's claims and the book, each under its cap. */
export function claimCounters(caller: Caller, pool: Pool, nowIso: string, claims: number): CounterChange[] {
  const { policy } = pool;
  return [
    dailyClaimsCounter(caller.tenantId, caller.userId, claimDay(nowIso), dailyClaimCondition(policy, claims), claims),
    bookCounter(caller.tenantId, caller.userId, { owned: claims }, { counter: 'owned', limit: ownedClaimCondition(policy, claims) }),
  ];
}

/** A counter that refused: the cap it hit, worded with the value it held. */
export function claimCounterRefused(pool: Pool, counter: CounterChange, value: number, claims: number, subject: string, nowIso: string): DomainError {
  const limits = pool.policy.claimLimits;
  return counter.tag === 'dailyClaims'
    ? claimRefused({ reason: 'daily-cap', limit: limits.perRepPerDay, used: value, requested: claims }, subject, nowIso)
    : claimRefused({ reason: 'max-owned', limit: limits.maxOwnedPerRep, owned: value, requested: claims }, subject, nowIso);
}
