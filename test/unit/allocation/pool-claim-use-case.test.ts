import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Book } from '../../../shared/allocation/book-move';
import type { BatchCommitResult, OwnershipBatch } from '../../../shared/allocation/ownership-repository';
import { claimFromPool, type PoolClaimDeps } from '../../../shared/allocation/pool-claim-use-case';
import type { Caller } from '../../../shared/access/caller';
import { installTimeSource } from '../../../shared/clock';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import type { Deal } from '../../../shared/deals/deal';
import { ClaimTooLarge } from '../../../shared/errors';
import { createPoolInput, newPool } from '../../../shared/pools/pool';
import { newTask } from '../../../shared/tasks/task';
import { policyInput } from '../pools/policy-fixtures';

// The bulk claim with the customers' books (docs/allocation.md, "Bulk claims and the book").

const NOW = '2026-03-10T12:00:00.000Z';
const rep: Caller = { userId: 'rep-2', tenantId: 'acme', groups: ['rep'], teamId: 'south' };
const admin: Caller = { userId: 'adm-1', tenantId: 'acme', groups: ['admin'] };
const pool = newPool(createPoolInput.parse({ name: 'P1', members: { users: [], groups: ['rep'] }, policy: policyInput({ claimLimits: { perRequest: 5, perRepPerDay: 50, maxOwnedPerRep: 100, maxLockedPerRep: 5 } }) }), admin, 'P1', '2026-01-01T00:00:00.000Z');

const waiting = (id: string): Customer => ({
  ...newCustomer(createCustomerInput.parse({ name: id }), { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, id, '2026-03-01T09:00:00.000Z'),
  ownerId: null,
  teamId: null,
  poolId: 'P1',
  homePoolId: 'P1',
  previousOwnerId: 'rep-1',
  releasedAt: '2026-03-02T09:00:00.000Z',
  version: 4,
});
const deal = (id: string, customerId: string, version: number) =>
  ({ id, tenantId: 'acme', customerId, pipelineId: 'PL', stageId: 's1', status: 'open', name: id, amountMinor: 100, currency: 'EUR', expectedCloseDate: '2026-04-30', ownerId: null, teamId: null, closedAt: null, closeReason: null, createdAt: NOW, createdBy: 'x', updatedAt: NOW, updatedBy: 'x', version }) as Deal;

function deps(customers: Customer[], books: Record<string, Book[]>, commits: BatchCommitResult[]) {
  const reads: Record<string, number> = {};
  const commitBatch = vi.fn(async (_batch: OwnershipBatch): Promise<BatchCommitResult> => commits.shift() ?? { ok: true });
  const d: PoolClaimDeps = {
    customers: { get: async (_t, id) => customers.find((c) => c.id === id) },
    pools: { get: async () => pool },
    waiting: { longestWaiting: async () => ({ items: customers }) },
    ownership: {
      commitBatch,
      counts: async () => ({ owned: 0, locked: 0, claimedToday: 0 }),
      tableName: 'crm',
      book: async (_t, id) => {
        const n = (reads[id] = (reads[id] ?? 0) + 1);
        const versions = books[id] ?? [{ deals: [], tasks: [] }];
        return versions[Math.min(n, versions.length) - 1]!;
      },
    },
  };
  return { deps: d, commitBatch, sent: () => commitBatch.mock.calls.map(([batch]) => batch) };
}

describe('claimFromPool with books', () => {
  beforeEach(() => installTimeSource(() => Date.parse(NOW)));
  afterEach(() => installTimeSource(Date.now));

  it("puts each customer's open deals and its last owner's open tasks into the claim's one batch, at the versions read", async () => {
    const task = newTask({ title: 'Call', type: 'call', dueAt: NOW }, { customerId: 'A', dealId: null, leadId: null }, 'rep-1', { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, 'T1', NOW);
    const { deps: d, sent } = deps([waiting('A'), waiting('B')], { A: [{ deals: [deal('D1', 'A', 3)], tasks: [task] }] }, []);

    const result = await claimFromPool(d, rep, 'P1', { count: 2 }, 'req');

    expect(result.claimed.map((c) => c.id)).toEqual(['A', 'B']);
    const [batch] = sent();
    expect(batch!.changes.map((c) => (c.book ?? []).map((i) => [i.put!.Item!.SK, i.put!.Item!.ownerId ?? i.put!.Item!.assigneeId, i.put!.ExpressionAttributeValues![':read']]))).toEqual([
      [
        ['DEAL#D1', 'rep-2', 3],
        ['TASK#T1', 'rep-2', 1],
      ],
      [],
    ]);
    expect(batch!.changes[0]!.book![0]!.put!.Item).toMatchObject({ teamId: 'south' });
  });

  it('reads the book again and retries when a deal changed meanwhile, keeping the customer in the batch', async () => {
    const a = waiting('A');
    const raced: BatchCommitResult = { ok: false, refused: 'profile', profiles: new Map([[0, a]]) };
    const { deps: d, sent } = deps([a], { A: [{ deals: [deal('D1', 'A', 3)], tasks: [] }, { deals: [deal('D1', 'A', 4)], tasks: [] }] }, [raced]);

    const result = await claimFromPool(d, rep, 'P1', { count: 1 }, 'req');

    expect(result.claimed.map((c) => c.id)).toEqual(['A']);
    expect(sent().map((b) => b.changes[0]!.book![0]!.put!.ExpressionAttributeValues![':read'])).toEqual([3, 4]);
  });

  it('replaces a customer someone else took meanwhile (by count)', async () => {
    const [a, b] = [waiting('A'), waiting('B')];
    const taken: BatchCommitResult = { ok: false, refused: 'profile', profiles: new Map([[0, { ...a, ownerId: 'rep-9', poolId: null }]]) };
    const { deps: d, sent } = deps([a, b], {}, [taken]);

    const result = await claimFromPool(d, rep, 'P1', { count: 1 }, 'req');

    expect(result.claimed.map((c) => c.id)).toEqual(['B']);
    expect(sent().map((batch) => batch.changes.map((c) => c.after.id))).toEqual([['A'], ['B']]);
  });

  it('refuses chosen customers whose books do not fit in one transaction, committing nothing', async () => {
    const many = (id: string) => [{ deals: Array.from({ length: 48 }, (_, i) => deal(`${id}${i}`, id, 1)), tasks: [] }];
    const { deps: d, commitBatch } = deps([waiting('A'), waiting('B')], { A: many('A'), B: many('B') }, []);

    const refused = claimFromPool(d, rep, 'P1', { customerIds: ['A', 'B'] }, 'req');

    await expect(refused).rejects.toBeInstanceOf(ClaimTooLarge);
    await expect(refused).rejects.toMatchObject({ extensions: { items: 104, limit: 100, books: [{ customerId: 'A', bookItems: 48 }, { customerId: 'B', bookItems: 48 }] } });
    expect(commitBatch).not.toHaveBeenCalled();
  });
});
