import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Book } from '../../../shared/allocation/book-move';
import type { Deal } from '../../../shared/deals/deal';
import { describe, expect, it, vi } from 'vitest';
import { isRetryable, RETRYABLE_ERROR } from '../../../shared/allocation/reclaim-errors';
import { type DueEntry, type DuePage, parseReclaimSortKey, type SweepWrite, toSweepPool } from '../../../shared/allocation/reclaim-repository';
import { type EvaluateDeps, evaluateTask, findDueCustomers, OUTCOME_BUDGET_BYTES, poolsPerRun } from '../../../shared/allocation/reclaim-sweep-use-cases';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import { keys } from '../../../shared/keys';
import { createPoolInput, newPool, type Pool } from '../../../shared/pools/pool';
import { policyInput } from '../pools/policy-fixtures';

const ASSIGNED = '2026-03-01T09:00:00.000Z';
const RUN = '2026-04-01T09:00:00.000Z';

const general: Pool = newPool(
  createPoolInput.parse({ name: 'General', members: { users: [], groups: ['rep'] }, isDefault: true, policy: policyInput() }),
  { userId: 'admin', tenantId: 'acme', groups: ['admin'] },
  'P-GENERAL',
  '2026-01-01T00:00:00.000Z',
);

const profile = (overrides: Partial<Customer> = {}) => ({
  ...keys.customer('acme', 'C1'),
  ...newCustomer(createCustomerInput.parse({ name: 'Acme Tools' }), { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, 'C1', ASSIGNED),
  ...overrides,
});

const openDeal = (id: string, status: 'open' | 'won') =>
  ({ id, tenantId: 'acme', customerId: 'C1', pipelineId: 'PL', stageId: 's1', status, name: id, amountMinor: 100, currency: 'EUR', expectedCloseDate: '2026-04-30', ownerId: 'rep-1', teamId: null, closedAt: null, closeReason: null, createdAt: RUN, createdBy: 'x', updatedAt: RUN, updatedBy: 'x', version: 2 }) as Deal;

function deps(item: Record<string, unknown> | undefined, result: 'written' | 'race' = 'written', book: Book = { deals: [], tasks: [] }) {
  const writes: SweepWrite[] = [];
  const d: EvaluateDeps = {
    repo: {
      tableName: 'crm',
      book: async () => book,
      getProfile: vi.fn(async () => item),
      write: vi.fn(async (change: SweepWrite) => {
        writes.push(change);
        return result;
      }),
    },
    pools: async () => [general],
    newId: () => 'H1',
  };
  return { deps: d, writes };
}

const item = { tenantId: 'acme', customerId: 'C1', now: RUN, runId: 'run-1' };

describe('evaluateTask', () => {
  it('reclaims a due customer: profile, book counter, history and event in one write', async () => {
    const { deps: d, writes } = deps(profile());

    const outcome = await evaluateTask(d, item);

    expect(outcome).toEqual({ tenantId: 'acme', customerId: 'C1', outcome: 'reclaimed', ownerId: 'rep-1', name: 'Acme Tools', poolId: 'P-GENERAL' });
    const [write] = writes;
    expect(write!.after).toMatchObject({ ownerId: null, poolId: 'P-GENERAL', previousOwnerId: 'rep-1', reclaimCheckAt: null, version: 2 });
    expect(write!.counters).toEqual([expect.objectContaining({ key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' }, add: { owned: -1 } })]);
    expect(write!.history).toMatchObject({ id: 'H1', from: 'rep-1', to: null, poolId: 'P-GENERAL', reason: 'reclaimed', actor: { type: 'system', id: 'reclaim' } });
    expect(write!.events).toEqual([
      {
        detailType: 'crm.customer.reclaimed.v1',
        detail: expect.objectContaining({
          tenantId: 'acme',
          correlationId: 'run-1',
          actor: { type: 'system', id: 'reclaim' },
          data: { customerId: 'C1', fromOwnerId: 'rep-1', toOwnerId: null, poolId: 'P-GENERAL', version: 2, rule: 'noFollowUpDays', days: 30, policyVersion: 1 },
        }),
      },
    ]);
  });

  it('takes the open deals back into the pool with the customer, unowned, in the same write; closed ones keep their owner', async () => {
    const { deps: d, writes } = deps(profile(), 'written', { deals: [openDeal('D1', 'open'), openDeal('D2', 'won')], tasks: [] });
    await evaluateTask(d, item);
    expect(writes[0]!.book!.map((i) => [i.put!.Item!.SK, i.put!.Item!.ownerId, i.put!.Item!.GSI5PK])).toEqual([['DEAL#D1', null, undefined]]);
  });

  it('reports a lost race (the condition on the profile as read failed) as skipped', async () => {
    const { deps: d } = deps(profile(), 'race');

    expect((await evaluateTask(d, item)).outcome).toBe('skipped-race');
  });

  it('warns once: warnedCycle and the next check (the reclaim time) with the warning event', async () => {
    const { deps: d, writes } = deps(profile());

    const outcome = await evaluateTask(d, { ...item, now: '2026-03-29T09:00:00.000Z' });

    expect(outcome).toMatchObject({ outcome: 'warned', ownerId: 'rep-1', reclaimAt: '2026-03-31T09:00:00.000Z' });
    expect(writes[0]!.after).toMatchObject({ warnedCycle: `${ASSIGNED}/2026-03-31T09:00:00.000Z`, reclaimCheckAt: '2026-03-31T09:00:00.000Z', homePoolId: 'P-GENERAL' });
    expect(writes[0]!.fields).toEqual(['homePoolId', 'reclaimCheckAt', 'warnedCycle']);
    expect(writes[0]!.events?.[0]?.detailType).toBe('crm.customer.reclaim-warning.v1');
  });

  it('returns "failed" for a profile it cannot read, and throws ReclaimRetryable on throttling', async () => {
    const { deps: broken } = deps(profile({ assignedAt: 'not-a-date' }));
    expect(await evaluateTask(broken, item)).toEqual({ tenantId: 'acme', customerId: 'C1', outcome: 'failed', error: 'UnreadableProfile' });

    const { deps: throttled } = deps(profile());
    throttled.repo.getProfile = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    };
    await expect(evaluateTask(throttled, item)).rejects.toMatchObject({ name: RETRYABLE_ERROR });
  });

  it('skips a customer that disappeared or was erased since the index was read', async () => {
    expect((await evaluateTask(deps(undefined).deps, item)).outcome).toBe('skipped-race');
    expect((await evaluateTask(deps(profile({ erasedAt: RUN })).deps, item)).outcome).toBe('skipped-race');
  });
});

describe('findDueCustomers', () => {
  const entry = (shard: number, i: number, name = 'Customer', ownerId = 'rep-1'): DueEntry => ({
    tenantId: 'acme',
    customerId: `C${shard}-${String(i).padStart(4, '0')}`,
    checkAt: new Date(Date.parse(ASSIGNED) + i * 1000 + shard).toISOString(),
    ownerId,
    name,
  });

  /** A shard holding `counts[shard]` due entries, paged by Limit like DynamoDB. */
  function index(counts: number[], name?: string, ownerId?: string) {
    const reads: { shard: number; limit: number }[] = [];
    const findDue = async (shard: number, _now: string, limit: number, start?: Record<string, unknown>): Promise<DuePage> => {
      reads.push({ shard, limit });
      const from = Number(start?.at ?? 0);
      const all = Array.from({ length: counts[shard] ?? 0 }, (_, i) => entry(shard, i, name, ownerId));
      const entries = all.slice(from, from + limit);
      return { entries, next: from + limit < all.length || entries.length === limit ? { at: from + limit } : undefined };
    };
    return { repo: { findDue }, reads };
  }

  it('reads each shard\'s share, earliest first overall, and reads more from shards that have more', async () => {
    const { repo, reads } = index([30, 2, 0, 1]);

    const found = await findDueCustomers(repo, RUN, [0, 1, 2, 3], 20);

    expect(found.customers).toHaveLength(20);
    expect(found.capped).toBe(true);
    expect(reads.slice(0, 4).map((r) => r.limit)).toEqual([5, 5, 5, 5]);
    expect(reads.filter((r) => r.shard !== 0)).toHaveLength(3);
    expect(found.customers.filter((c) => c.customerId.startsWith('C1-'))).toHaveLength(2);
  });

  it('takes everything when less is due than a run holds', async () => {
    const { repo } = index([3, 2, 0, 1]);

    expect(await findDueCustomers(repo, RUN, [0, 1, 2, 3], 20)).toMatchObject({ now: RUN, capped: false, customers: { length: 6 } });
  });

  it('stops before the outcomes could outgrow the state payload budget', async () => {
    // Long names are cut to 80 characters in outcomes; owner ids (up to 128) are not.
    const { repo } = index([400, 400], 'N'.repeat(200), 'u'.repeat(128));

    const found = await findDueCustomers(repo, RUN, [0, 1], 800);

    expect(found.capped).toBe(true);
    expect(found.customers.length).toBeLessThan(800);
    expect(found.customers.length * (80 + 128 + 26 + 5)).toBeLessThan(OUTCOME_BUDGET_BYTES);
  });
});

describe('index and pool items', () => {
  it('parses the reclaim sort key <checkAt>#<tenant>#<customer>', () => {
    expect(parseReclaimSortKey('2026-03-01T09:00:00.000Z#t-1#01JD')).toEqual({ checkAt: '2026-03-01T09:00:00.000Z', tenantId: 't-1', customerId: '01JD' });
    expect(parseReclaimSortKey('garbage')).toBeUndefined();
  });

  it('reads a pool item with its policy defaults, and leaves out one whose policy is broken', () => {
    const item = { ...keys.pool('acme', 'P1'), entity: 'Pool', ...general, policy: policyInput() };
    expect(toSweepPool(item)?.policy.exempt).toEqual({ locked: true, closedWon: true });
    expect(toSweepPool({ ...item, policy: { rules: {} } })).toBeUndefined();
  });

  it('reads pools once per tenant and run', async () => {
    const pools = vi.fn(async (_tenantId: string) => ({ pools: [general], unreadable: [] as string[] }));
    const forRun = poolsPerRun({ pools });

    await Promise.all([forRun('acme', RUN), forRun('acme', RUN), forRun('other', RUN)]);
    await forRun('acme', '2026-04-01T09:15:00.000Z');

    expect(pools.mock.calls.map(([tenant]) => tenant)).toEqual(['acme', 'other', 'acme']);
  });
});

describe('isRetryable', () => {
  it('retries throttling and transaction conflicts, not an item\'s own errors', () => {
    expect(isRetryable(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(true);
    const conflict = new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
    expect(isRetryable(conflict)).toBe(true);
    const condition = new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    expect(isRetryable(condition)).toBe(false);
    expect(isRetryable(new TypeError('bug'))).toBe(false);
  });
});
