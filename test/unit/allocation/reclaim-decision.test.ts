import { describe, expect, it } from 'vitest';
import { assertSweepable, decideReclaim, reclaimedCustomer, UnreadableProfile } from '../../../shared/allocation/reclaim-decision';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import { createPoolInput, newPool, type Pool } from '../../../shared/pools/pool';
import { policyInput } from '../pools/policy-fixtures';

const ASSIGNED = '2026-03-01T09:00:00.000Z';
const day = (n: number, hours = 0) => new Date(Date.parse(ASSIGNED) + n * 86_400_000 + hours * 3_600_000).toISOString();

const pool = (id: string, body: Record<string, unknown> = {}, createdAt = '2026-01-01T00:00:00.000Z'): Pool =>
  newPool(
    createPoolInput.parse({ name: id, members: { users: [], groups: ['rep'] }, policy: policyInput(), ...body }),
    { userId: 'admin', tenantId: 'acme', groups: ['admin'] },
    id,
    createdAt,
  );

/** Default pool: no follow-up for 30 days (60 for level A), warned 3 days before. */
const general = pool('general', { isDefault: true, policy: policyInput({ rules: { noFollowUpDays: { default: 30, byLevel: { A: 60 } } } }) });
const fintech = pool('fintech', { routing: { industries: ['Fintech'] }, policy: policyInput({ rules: { noFollowUpDays: 10 }, warningDaysBefore: 2 }) });

const owned = (overrides: Partial<Customer> = {}): Customer => ({
  ...newCustomer(createCustomerInput.parse({ name: 'Acme Tools' }), { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, 'C1', ASSIGNED),
  ...overrides,
});

describe('decideReclaim', () => {
  it('reclaims a customer nobody followed up for more than N days into the pool routing picks', () => {
    const decision = decideReclaim(owned({ industry: 'fintech' }), [general, fintech], day(10, 1));

    expect(decision).toMatchObject({ kind: 'reclaim', pool: { id: 'fintech' }, home: { id: 'fintech' }, schedule: { rule: 'noFollowUpDays', days: 10 } });
  });

  it('takes N per level: level A gets 60 days, others the default 30', () => {
    expect(decideReclaim(owned({ level: 'A' }), [general], day(31))).toMatchObject({ kind: 'reschedule', checkAt: day(57), reclaimAt: day(60) });
    expect(decideReclaim(owned({ level: 'B' }), [general], day(31))).toMatchObject({ kind: 'reclaim', pool: { id: 'general' } });
  });

  it('is not due at exactly N days (strictly later), and a follow-up moves the deadline', () => {
    expect(decideReclaim(owned({ warnedCycle: `${ASSIGNED}/${day(30)}` }), [general], day(30)).kind).toBe('reschedule');
    expect(decideReclaim(owned({ lastFollowUpAt: day(29) }), [general], day(31))).toMatchObject({ kind: 'reschedule', checkAt: day(56), reclaimAt: day(59) });
  });

  it('warns inside the last D days, once per cycle; a new deadline is a new cycle', () => {
    const cycle = `${ASSIGNED}/${day(30)}`;
    expect(decideReclaim(owned(), [general], day(27, 1))).toMatchObject({ kind: 'warn', cycle, schedule: { reclaimAt: day(30) } });
    expect(decideReclaim(owned({ warnedCycle: cycle }), [general], day(28))).toMatchObject({ kind: 'reschedule', checkAt: day(30) });
    expect(decideReclaim(owned({ warnedCycle: cycle, lastFollowUpAt: day(27) }), [general], day(55))).toMatchObject({ kind: 'warn', cycle: `${ASSIGNED}/${day(57)}` });
  });

  it('schedules the next check at the warning time while it is ahead', () => {
    expect(decideReclaim(owned(), [general], ASSIGNED)).toMatchObject({ kind: 'reschedule', checkAt: day(27), reclaimAt: day(30), home: { id: 'general' } });
  });

  it('judges by the home pool\'s policy, and returns the customer to the pool routing picks', () => {
    const decision = decideReclaim(owned({ homePoolId: 'fintech', industry: 'Retail' }), [general, fintech], day(11));

    expect(decision).toMatchObject({ kind: 'reclaim', home: { id: 'fintech' }, pool: { id: 'general' }, schedule: { days: 10 } });
  });

  it('exempts locked and closed-won customers unless the policy says otherwise', () => {
    expect(decideReclaim(owned({ locked: true }), [general], day(40))).toMatchObject({ kind: 'exempt', reason: 'locked' });
    expect(decideReclaim(owned({ lifecycleStage: 'customer' }), [general], day(40))).toMatchObject({ kind: 'exempt', reason: 'closed-won' });
    const strict = pool('strict', { isDefault: true, policy: policyInput({ exempt: { locked: false, closedWon: true } }) });
    expect(decideReclaim(owned({ locked: true }), [strict], day(40)).kind).toBe('reclaim');
  });

  it('has nothing to do without pools, and leaves an entry that no longer describes the customer', () => {
    expect(decideReclaim(owned(), [], day(40)).kind).toBe('no-pool');
    expect(decideReclaim(owned({ ownerId: null }), [general], day(40)).kind).toBe('stale');
    expect(decideReclaim(owned({ reclaimCheckAt: day(41) }), [general], day(40)).kind).toBe('stale');
    expect(decideReclaim(owned({ reclaimCheckAt: null }), [general], day(40)).kind).toBe('stale');
  });
});

describe('reclaimedCustomer', () => {
  it('releases the customer into the pool as the system, remembering the owner', () => {
    const before = owned({ locked: false, warnedCycle: 'x', teamId: 'north' });

    expect(reclaimedCustomer(before, general, day(31))).toMatchObject({
      ownerId: null,
      teamId: null,
      poolId: 'general',
      homePoolId: 'general',
      assignedAt: null,
      previousOwnerId: 'rep-1',
      releasedAt: day(31),
      reclaimCheckAt: null,
      warnedCycle: null,
      updatedAt: day(31),
      updatedBy: 'system:reclaim',
      version: before.version + 1,
    });
  });
});

describe('assertSweepable', () => {
  it('refuses a profile whose dates or flags the rules cannot read', () => {
    expect(() => assertSweepable(owned({ assignedAt: 'yesterday' }))).toThrow(UnreadableProfile);
    expect(() => assertSweepable(owned({ locked: 'yes' as unknown as boolean }))).toThrow(/invalid locked/);
    expect(assertSweepable(owned())).toBeDefined();
  });
});
