import { describe, expect, it } from 'vitest';
import {
  type ClaimAttempt,
  checkClaim,
  checkClaimRequest,
  checkLock,
  claimDay,
  claimRefusalMessage,
  cooldownUntil,
  dailyClaimCondition,
  lockCondition,
  lockRefusalMessage,
  ownedClaimCondition,
} from '../../../shared/allocation/claim-rules';
import type { Caller } from '../../../shared/access/caller';
import { policy } from '../pools/policy-fixtures';

const caller = (groups: Caller['groups'], userId = 'rep-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const limits = { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 200, maxLockedPerRep: 10 };
const p = policy({ claimLimits: limits, reclaimCooldownDays: 7 });
const pool = { tenantId: 'acme', members: { users: [], groups: ['rep' as const] }, policy: p };
const NOW = '2026-03-10T12:00:00.000Z';

const attempt = (overrides: Partial<ClaimAttempt> = {}): ClaimAttempt => ({
  caller: caller(['rep']),
  pool,
  customer: { ownerId: null, previousOwnerId: null, releasedAt: null },
  now: NOW,
  claimedToday: 0,
  ownedCount: 0,
  ...overrides,
});

describe('checkClaim', () => {
  it('lets a member claim an unowned customer within every limit', () => {
    expect(checkClaim(attempt())).toEqual({ ok: true });
  });

  it('refuses a non-member, and a member of another tenant', () => {
    expect(checkClaim(attempt({ caller: caller(['manager']) }))).toEqual({ ok: false, reason: 'not-a-member' });
    expect(checkClaim(attempt({ caller: caller(['rep'], 'rep-1', 'other') }))).toEqual({ ok: false, reason: 'not-a-member' });
  });

  it('refuses a non-member before telling any limit', () => {
    expect(checkClaim(attempt({ caller: caller(['marketer']), requestedCount: 99, claimedToday: 20 }))).toEqual({ ok: false, reason: 'not-a-member' });
  });

  it('refuses more customers per request than the policy allows', () => {
    expect(checkClaim(attempt({ requestedCount: 5 })).ok).toBe(true);
    expect(checkClaim(attempt({ requestedCount: 6 }))).toEqual({ ok: false, reason: 'per-request-limit', limit: 5, requested: 6 });
  });

  it('refuses past the daily cap, with the limit and what was used', () => {
    expect(checkClaim(attempt({ claimedToday: 19 })).ok).toBe(true);
    expect(checkClaim(attempt({ claimedToday: 20 }))).toEqual({ ok: false, reason: 'daily-cap', limit: 20, used: 20, requested: 1 });
    expect(checkClaim(attempt({ claimedToday: 17, requestedCount: 4 }))).toEqual({ ok: false, reason: 'daily-cap', limit: 20, used: 17, requested: 4 });
  });

  it('refuses past the owned cap, with the limit and what is owned', () => {
    expect(checkClaim(attempt({ ownedCount: 199 })).ok).toBe(true);
    expect(checkClaim(attempt({ ownedCount: 200 }))).toEqual({ ok: false, reason: 'max-owned', limit: 200, owned: 200, requested: 1 });
  });

  it('refuses a customer that already has an owner, even for its owner', () => {
    expect(checkClaim(attempt({ customer: { ownerId: 'rep-2', previousOwnerId: null, releasedAt: null } }))).toEqual({ ok: false, reason: 'already-owned' });
    expect(checkClaim(attempt({ customer: { ownerId: 'rep-1', previousOwnerId: null, releasedAt: null } }))).toEqual({ ok: false, reason: 'already-owned' });
  });
});

describe('the previous owner\'s cooldown (M = 7 days)', () => {
  const released = { ownerId: null, previousOwnerId: 'rep-1', releasedAt: '2026-03-01T09:00:00.000Z' };
  const until = '2026-03-08T09:00:00.000Z';

  it('ends exactly M days after the release', () => {
    expect(cooldownUntil(released, p)).toBe(until);
    expect(checkClaim(attempt({ customer: released, now: '2026-03-08T08:59:59.999Z' }))).toEqual({ ok: false, reason: 'cooldown', until });
    expect(checkClaim(attempt({ customer: released, now: until }))).toEqual({ ok: true });
  });

  it('binds only the previous owner', () => {
    expect(checkClaim(attempt({ caller: caller(['rep'], 'rep-2'), customer: released, now: '2026-03-02T00:00:00.000Z' }))).toEqual({ ok: true });
  });

  it('never binds with M = 0', () => {
    const noCooldown = { ...pool, policy: policy({ claimLimits: limits, reclaimCooldownDays: 0 }) };
    expect(checkClaim(attempt({ pool: noCooldown, customer: released, now: released.releasedAt })).ok).toBe(true);
  });
});

describe('checkClaimRequest', () => {
  it('checks a batch as a whole, whatever its customers', () => {
    expect(checkClaimRequest({ caller: caller(['rep']), pool, claimedToday: 15, ownedCount: 0, requestedCount: 5 })).toEqual({ ok: true });
    expect(checkClaimRequest({ caller: caller(['rep']), pool, claimedToday: 0, ownedCount: 196, requestedCount: 5 })).toEqual({
      ok: false,
      reason: 'max-owned',
      limit: 200,
      owned: 196,
      requested: 5,
    });
  });
});

describe('conditions for the race-free counters', () => {
  it('lets the daily counter reach but not pass the cap (claimed < limit before adding n)', () => {
    expect(dailyClaimCondition(p)).toBe(20);
    expect(dailyClaimCondition(p, 5)).toBe(16);
    const fits = (claimed: number, n: number) => claimed < dailyClaimCondition(p, n);
    expect([fits(19, 1), fits(20, 1), fits(15, 5), fits(16, 5)]).toEqual([true, false, true, false]);
  });

  it('bounds the owned and locked counters the same way', () => {
    expect(ownedClaimCondition(p, 3)).toBe(198);
    expect(lockCondition(p)).toBe(10);
  });

  it('counts claims per UTC day', () => {
    expect(claimDay('2026-03-10T23:59:59.999Z')).toBe('2026-03-10');
    expect(claimDay('2026-03-11T00:00:00.000Z')).toBe('2026-03-11');
  });
});

describe('checkLock', () => {
  const owned = { ownerId: 'rep-1', locked: false };

  it('allows locking below the cap and refuses at it, with the numbers', () => {
    expect(checkLock({ customer: owned, policy: p, lockedCount: 9 })).toEqual({ ok: true, alreadyLocked: false });
    expect(checkLock({ customer: owned, policy: p, lockedCount: 10 })).toEqual({ ok: false, reason: 'max-locked', limit: 10, locked: 10 });
  });

  it('treats locking a locked customer as a no-op, even at the cap', () => {
    expect(checkLock({ customer: { ...owned, locked: true }, policy: p, lockedCount: 10 })).toEqual({ ok: true, alreadyLocked: true });
  });

  it('refuses to lock a customer in the pool, and any lock with a cap of 0', () => {
    expect(checkLock({ customer: { ownerId: null, locked: false }, policy: p, lockedCount: 0 })).toEqual({ ok: false, reason: 'not-owned' });
    const noLocks = policy({ claimLimits: { ...limits, maxLockedPerRep: 0 } });
    expect(checkLock({ customer: owned, policy: noLocks, lockedCount: 0 })).toEqual({ ok: false, reason: 'max-locked', limit: 0, locked: 0 });
  });
});

describe('refusal messages', () => {
  it('carry the numbers', () => {
    expect(claimRefusalMessage({ reason: 'daily-cap', limit: 20, used: 18, requested: 3 })).toBe(
      'Daily claim limit of 20 reached (18 claimed today, 3 more asked for)',
    );
    expect(claimRefusalMessage({ reason: 'cooldown', until: '2026-03-08T09:00:00.000Z' })).toContain('2026-03-08T09:00:00.000Z');
    expect(lockRefusalMessage({ reason: 'max-locked', limit: 10, locked: 10 })).toBe('An owner may lock at most 10 customers (10 locked now)');
  });
});
