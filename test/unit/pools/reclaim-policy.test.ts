import { describe, expect, it } from 'vitest';
import {
  exemption,
  isDue,
  needsWarning,
  reclaimAt,
  reclaimCycleId,
  reclaimPolicySchema,
  reclaimSchedule,
  warningAt,
} from '../../../shared/pools/reclaim-policy';
import { facts, policy, policyInput } from './policy-fixtures';

/** Issues as "path: message", the way problem bodies show them. */
const issues = (input: unknown) => {
  const result = reclaimPolicySchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => `${[...i.path, ...('keys' in i ? i.keys : [])].join('.')}: ${i.message}`);
};

describe('reclaimPolicySchema', () => {
  it('accepts a policy and turns both exemptions on by default', () => {
    expect(policy().exempt).toEqual({ locked: true, closedWon: true });
    expect(policy({ exempt: { locked: false } }).exempt).toEqual({ locked: false, closedWon: true });
  });

  it('accepts N per customer level with a default', () => {
    const parsed = policy({ rules: { noFollowUpDays: { default: 30, byLevel: { A: 60, C: 14 } } } });
    expect(parsed.rules.noFollowUpDays).toEqual({ default: 30, byLevel: { A: 60, C: 14 } });
  });

  it('needs at least one rule', () => {
    expect(issues(policyInput({ rules: {} }))).toEqual(['rules: Enable at least one rule: noFollowUpDays, noOpenDealDays, noWonDealDays']);
  });

  it.each([0, 3651])('rejects N = %j (whole days 1..3650)', (days) => {
    expect(issues(policyInput({ rules: { noOpenDealDays: days } }))).toEqual(['rules.noOpenDealDays: Expected whole days from 1 to 3650']);
  });

  it.each([1.5, '30', [30]])('rejects N = %j, fitting neither form, with a hint at both', (days) => {
    expect(issues(policyInput({ rules: { noOpenDealDays: days as number } }))).toEqual([
      'rules.noOpenDealDays: Expected whole days from 1 to 3650, or { default, byLevel: { <level>: days } }',
    ]);
  });

  it('names the nested problem of a per-level N', () => {
    const input = policyInput({ rules: { noFollowUpDays: { default: 30, byLevel: { A: 0 } } } });
    expect(issues(input)).toEqual(['rules.noFollowUpDays.byLevel.A: Expected whole days from 1 to 3650']);
  });

  it('rejects a level name longer than a customer level can be', () => {
    const input = policyInput({ rules: { noFollowUpDays: { default: 30, byLevel: { 'A-very-long-level': 60 } } } });
    expect(issues(input)).toEqual(['rules.noFollowUpDays: byLevel.A-very-long-level: A level has at most 16 characters']);
  });

  it('rejects a per-level N without its default, naming it', () => {
    expect(issues(policyInput({ rules: { noFollowUpDays: { byLevel: { A: 10 } } as never } }))).toEqual([
      'rules.noFollowUpDays: default: Expected whole days from 1 to 3650',
    ]);
  });

  it('rejects a warning at or beyond the shortest N, at warningDaysBefore', () => {
    const rules = { noFollowUpDays: { default: 30, byLevel: { C: 14 } }, noWonDealDays: 90 };
    expect(issues(policyInput({ rules, warningDaysBefore: 14 }))).toEqual([
      'warningDaysBefore: Must be less than the shortest reclaim period (14 days)',
    ]);
    expect(reclaimPolicySchema.safeParse(policyInput({ rules, warningDaysBefore: 13 })).success).toBe(true);
  });

  it('checks the ranges of the claim limits, the warning and the cooldown by path', () => {
    const input = policyInput({
      warningDaysBefore: -1,
      reclaimCooldownDays: 366,
      claimLimits: { perRequest: 31, perRepPerDay: 10_001, maxOwnedPerRep: 0, maxLockedPerRep: -1 },
    });
    expect(issues(input)).toEqual([
      'warningDaysBefore: Expected whole days from 0 to 365',
      'claimLimits.perRequest: Expected whole customers from 1 to 30',
      'claimLimits.perRepPerDay: Expected whole customers from 1 to 10000',
      'claimLimits.maxOwnedPerRep: Expected whole customers from 1 to 100000',
      'claimLimits.maxLockedPerRep: Expected whole customers from 0 to 100000',
      'reclaimCooldownDays: Expected whole days from 0 to 365',
    ]);
  });

  it('rejects a request size above the daily cap', () => {
    const input = policyInput({ claimLimits: { perRequest: 10, perRepPerDay: 5, maxOwnedPerRep: 100, maxLockedPerRep: 0 } });
    expect(issues(input)).toEqual(['claimLimits.perRequest: Must not exceed perRepPerDay (5)']);
  });

  it('rejects unknown fields by name', () => {
    const paths = issues({ ...policyInput(), extra: 1, rules: { noFollowUpDays: 30, noCallDays: 5 } }).map((issue) => issue.split(':')[0]);
    expect(paths.sort()).toEqual(['extra', 'rules.noCallDays']);
  });
});

describe('reclaimAt: no follow-up', () => {
  const p = policy({ rules: { noFollowUpDays: 30 } });

  it('runs N days from the assignment when there was no follow-up', () => {
    expect(reclaimAt(facts(), p)).toBe('2026-03-31T09:00:00.000Z');
  });

  it('runs from the last follow-up when it is later than the assignment', () => {
    expect(reclaimAt(facts({ lastFollowUpAt: '2026-03-10T12:00:00.000Z' }), p)).toBe('2026-04-09T12:00:00.000Z');
  });

  it('ignores a follow-up by a previous owner, before the assignment', () => {
    expect(reclaimAt(facts({ lastFollowUpAt: '2026-02-20T08:00:00.000Z' }), p)).toBe('2026-03-31T09:00:00.000Z');
  });

  it('is due strictly after N days (now - max(lastFollowUpAt, assignedAt) > N)', () => {
    expect(isDue(facts(), p, '2026-03-31T09:00:00.000Z')).toBe(false);
    expect(isDue(facts(), p, '2026-03-31T09:00:00.001Z')).toBe(true);
  });

  it('has nothing to reclaim for an unowned customer', () => {
    expect(reclaimAt(facts({ ownerId: null, assignedAt: null }), p)).toBeNull();
    expect(isDue(facts({ ownerId: null, assignedAt: null }), p, '2030-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('reclaimAt: N per customer level', () => {
  const p = policy({ rules: { noFollowUpDays: { default: 30, byLevel: { A: 60, C: 14 } } }, warningDaysBefore: 3 });

  it.each([
    ['A', '2026-04-30T09:00:00.000Z'],
    ['C', '2026-03-15T09:00:00.000Z'],
    ['B', '2026-03-31T09:00:00.000Z'],
    [null, '2026-03-31T09:00:00.000Z'],
  ])('level %s is due at %s', (level, expected) => {
    expect(reclaimAt(facts({ level }), p)).toBe(expected);
  });

  it('matches levels exactly', () => {
    expect(reclaimAt(facts({ level: 'a' }), p)).toBe('2026-03-31T09:00:00.000Z');
  });
});

describe('reclaimAt: deal rules', () => {
  it('runs "no open deal" from the assignment while the customer never had one', () => {
    expect(reclaimAt(facts(), policy({ rules: { noOpenDealDays: 45 } }))).toBe('2026-04-15T09:00:00.000Z');
  });

  it('stops "no open deal" while a deal is open', () => {
    expect(reclaimAt(facts({ hasOpenDeal: true }), policy({ rules: { noOpenDealDays: 45 } }))).toBeNull();
  });

  it('restarts "no open deal" when the last open deal ended after the assignment', () => {
    const closed = facts({ hasOpenDeal: false, lastOpenDealAt: '2026-03-20T00:00:00.000Z' });
    expect(reclaimAt(closed, policy({ rules: { noOpenDealDays: 45 } }))).toBe('2026-05-04T00:00:00.000Z');
  });

  it('runs "no won deal" from the later of the assignment and the last won deal', () => {
    const p = policy({ rules: { noWonDealDays: 90 }, exempt: { closedWon: false } });
    expect(reclaimAt(facts(), p)).toBe('2026-05-30T09:00:00.000Z');
    expect(reclaimAt(facts({ lastWonDealAt: '2026-04-01T00:00:00.000Z', lifecycleStage: 'customer' }), p)).toBe('2026-06-30T00:00:00.000Z');
    expect(reclaimAt(facts({ lastWonDealAt: '2026-01-01T00:00:00.000Z' }), p)).toBe('2026-05-30T09:00:00.000Z');
  });
});

describe('reclaimSchedule: the earliest rule wins', () => {
  const p = policy({ rules: { noFollowUpDays: 30, noOpenDealDays: 20, noWonDealDays: 90 } });

  it('picks the rule that falls due first, with its N', () => {
    expect(reclaimSchedule(facts(), p)).toEqual({ reclaimAt: '2026-03-21T09:00:00.000Z', rule: 'noOpenDealDays', days: 20 });
  });

  it('moves to the next rule when the earliest clock is stopped or later', () => {
    expect(reclaimSchedule(facts({ hasOpenDeal: true }), p)).toEqual({ reclaimAt: '2026-03-31T09:00:00.000Z', rule: 'noFollowUpDays', days: 30 });
    const busy = facts({ hasOpenDeal: true, lastFollowUpAt: '2026-05-01T00:00:00.000Z' });
    expect(reclaimSchedule(busy, p)).toEqual({ reclaimAt: '2026-05-30T09:00:00.000Z', rule: 'noWonDealDays', days: 90 });
  });

  it('reports the first rule in order when two fall due at the same instant', () => {
    const tie = policy({ rules: { noFollowUpDays: 30, noOpenDealDays: 30 } });
    expect(reclaimSchedule(facts(), tie)?.rule).toBe('noFollowUpDays');
  });
});

describe('exemptions', () => {
  const on = policy();
  const off = policy({ exempt: { locked: false, closedWon: false } });

  it('exempts a locked customer unless the policy says otherwise', () => {
    expect([exemption(facts({ locked: true }), on), reclaimAt(facts({ locked: true }), on)]).toEqual(['locked', null]);
    expect([exemption(facts({ locked: true }), off), reclaimAt(facts({ locked: true }), off)]).toEqual([null, '2026-03-31T09:00:00.000Z']);
  });

  it.each(['customer', 'evangelist'] as const)('exempts a closed-won (%s) customer unless the policy says otherwise', (lifecycleStage) => {
    expect([exemption(facts({ lifecycleStage }), on), reclaimAt(facts({ lifecycleStage }), on)]).toEqual(['closed-won', null]);
    expect(reclaimAt(facts({ lifecycleStage }), off)).toBe('2026-03-31T09:00:00.000Z');
  });

  it('does not exempt a churned customer or an opportunity', () => {
    expect(exemption(facts({ lifecycleStage: 'churned' }), on)).toBeNull();
    expect(exemption(facts({ lifecycleStage: 'opportunity' }), on)).toBeNull();
  });

  it('turns each exemption off on its own', () => {
    const lockedOnly = policy({ exempt: { locked: true, closedWon: false } });
    expect(exemption(facts({ lifecycleStage: 'customer' }), lockedOnly)).toBeNull();
    expect(exemption(facts({ locked: true, lifecycleStage: 'customer' }), policy({ exempt: { locked: false } }))).toBe('closed-won');
  });
});

describe('warnings', () => {
  const p = policy({ rules: { noFollowUpDays: 30 }, warningDaysBefore: 3 });
  const due = '2026-03-31T09:00:00.000Z';
  const warnFrom = '2026-03-28T09:00:00.000Z';

  it('comes exactly D days before the reclaim', () => {
    expect(warningAt(facts(), p)).toBe(warnFrom);
    expect(needsWarning(facts(), p, '2026-03-28T08:59:59.999Z', null)).toBe(false);
    expect(needsWarning(facts(), p, warnFrom, null)).toBe(true);
    expect(needsWarning(facts(), p, due, null)).toBe(true);
  });

  it('is not sent once the customer is due (the sweep reclaims it)', () => {
    expect(needsWarning(facts(), p, '2026-03-31T09:00:00.001Z', null)).toBe(false);
  });

  it('is sent once per cycle', () => {
    const cycle = reclaimCycleId(facts(), p);
    expect(cycle).toBe(`2026-03-01T09:00:00.000Z/${due}`);
    expect(needsWarning(facts(), p, '2026-03-29T00:00:00.000Z', cycle)).toBe(false);
  });

  it('starts a new cycle with a new assignment', () => {
    const warned = reclaimCycleId(facts(), p);
    const reassigned = facts({ ownerId: 'rep-2', assignedAt: '2026-04-01T00:00:00.000Z' });
    expect(reclaimCycleId(reassigned, p)).not.toBe(warned);
    expect(needsWarning(reassigned, p, '2026-04-28T00:00:00.000Z', warned)).toBe(true);
  });

  it('starts a new cycle with a new assignment even when the deadline stays the same', () => {
    const before = facts({ lastFollowUpAt: '2026-03-10T12:00:00.000Z' });
    const after = facts({ ownerId: 'rep-2', assignedAt: '2026-03-10T12:00:00.000Z', lastFollowUpAt: '2026-03-10T12:00:00.000Z' });
    expect(reclaimAt(after, p)).toBe(reclaimAt(before, p));
    expect(needsWarning(after, p, '2026-04-07T00:00:00.000Z', reclaimCycleId(before, p))).toBe(true);
  });

  it('starts a new cycle when a follow-up moves the deadline', () => {
    const warned = reclaimCycleId(facts(), p);
    const followedUp = facts({ lastFollowUpAt: '2026-03-29T10:00:00.000Z' });
    expect(needsWarning(followedUp, p, '2026-03-30T00:00:00.000Z', warned)).toBe(false);
    expect(needsWarning(followedUp, p, '2026-04-25T10:00:00.000Z', warned)).toBe(true);
  });

  it('is never sent with D = 0, nor for an exempt customer', () => {
    expect(warningAt(facts(), policy({ warningDaysBefore: 0 }))).toBeNull();
    expect(needsWarning(facts(), policy({ warningDaysBefore: 0 }), due, null)).toBe(false);
    expect(needsWarning(facts({ locked: true }), p, warnFrom, null)).toBe(false);
  });
});
