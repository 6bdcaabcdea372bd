import { describe, expect, it } from 'vitest';
import { claimFromPoolInput } from '../../../shared/allocation/ownership-inputs';
import type { Caller } from '../../../shared/access/caller';
import { type ChosenCustomer, sortChosenCustomers } from '../../../shared/allocation/claim-rules';
import { policy } from '../pools/policy-fixtures';

const caller: Caller = { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] };
const p = policy({ reclaimCooldownDays: 7 });
const NOW = '2026-03-10T12:00:00.000Z';
const waiting = (id: string, overrides: Partial<ChosenCustomer> = {}): ChosenCustomer => ({
  id,
  ownerId: null,
  poolId: 'pool-a',
  homePoolId: 'pool-a',
  previousOwnerId: null,
  releasedAt: null,
  tombstoned: false,
  ...overrides,
});
const sort = (...customers: (ChosenCustomer | [string, undefined])[]) =>
  sortChosenCustomers(
    caller,
    'pool-a',
    p,
    customers.map((c) => (Array.isArray(c) ? { id: c[0], customer: undefined } : { id: c.id, customer: c })),
    NOW,
  );

describe('sortChosenCustomers', () => {
  it('takes customers waiting in the pool and keeps their order', () => {
    const sorted = sort(waiting('c1'), waiting('c2'));
    expect(sorted.claimable.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(sorted.unavailable).toEqual([]);
  });

  it('answers a retry: customers the caller owns already are theirs, not claimed again', () => {
    const sorted = sort(waiting('c1', { ownerId: 'rep-1', poolId: null }), waiting('c2'));
    expect(sorted.alreadyYours.map((c) => c.id)).toEqual(['c1']);
    expect(sorted.claimable.map((c) => c.id)).toEqual(['c2']);
  });

  it('says already-owned only of customers that left this pool; the rest look like not-in-pool', () => {
    const sorted = sort(
      waiting('taken', { ownerId: 'rep-2', poolId: null }),
      waiting('elsewhere-owned', { ownerId: 'rep-2', poolId: null, homePoolId: 'pool-b' }),
      waiting('other-pool', { poolId: 'pool-b', homePoolId: 'pool-b' }),
      waiting('merged', { tombstoned: true }),
      ['missing', undefined],
    );
    expect(sorted.claimable).toEqual([]);
    expect(sorted.unavailable).toEqual([
      { customerId: 'taken', reason: 'already-owned' },
      { customerId: 'elsewhere-owned', reason: 'not-in-pool' },
      { customerId: 'other-pool', reason: 'not-in-pool' },
      { customerId: 'merged', reason: 'not-in-pool' },
      { customerId: 'missing', reason: 'not-in-pool' },
    ]);
  });

  it('reports the cooldown of a customer the caller released, with its end', () => {
    const sorted = sort(waiting('c1', { previousOwnerId: 'rep-1', releasedAt: '2026-03-08T12:00:00.000Z' }));
    expect(sorted.unavailable).toEqual([{ customerId: 'c1', reason: 'cooldown', until: '2026-03-15T12:00:00.000Z' }]);
    // Someone else's release binds nobody else.
    expect(sort(waiting('c1', { previousOwnerId: 'rep-9', releasedAt: '2026-03-08T12:00:00.000Z' })).claimable).toHaveLength(1);
  });
});

describe('claimFromPoolInput', () => {
  const issues = (input: unknown) => {
    const parsed = claimFromPoolInput.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes either a count or customer ids', () => {
    expect(issues({ count: 3 })).toEqual([]);
    expect(issues({ customerIds: ['a', 'b'] })).toEqual([]);
  });

  it('refuses both, neither, duplicates and sizes beyond one transaction, naming the field', () => {
    expect(issues({ count: 1, customerIds: ['a'] })).toEqual(['count: Send either count or customerIds']);
    expect(issues({})).toEqual(['count: Send either count or customerIds']);
    expect(issues({ customerIds: ['a', 'a'] })).toEqual(['customerIds: Expected each customer id once']);
    expect(issues({ count: 31 })).toEqual(['count: Expected at most 30']);
    expect(issues({ count: 0 })).toEqual(['count: Expected at least 1']);
    expect(issues({ customerIds: Array.from({ length: 31 }, (_, i) => `c${i}`) })).toEqual(['customerIds: Expected at most 30 customer ids']);
  });
});
