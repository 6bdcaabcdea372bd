import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reclaimRescheduleContinuedV1 } from '../../../events/reclaim-reschedule-continued.v1';
import {
  isSuperseded,
  needsNewCheck,
  type OwnedCustomerEntry,
  PAGE_SIZE,
  passFromEvent,
  type RescheduleDeps,
  rescheduleFromEvent,
  type ReschedulePass,
  reschedulePass,
  STOP_MARGIN_MS,
} from '../../../shared/allocation/reclaim-reschedule-use-case';
import {
  candidateFilter,
  RescheduleRepository,
  scheduleCheckUpdate,
  tenantListStartKey,
} from '../../../shared/allocation/reclaim-reschedule-repository';
import { installTimeSource } from '../../../shared/clock';

const NOW = '2026-05-01T12:00:00.000Z';
installTimeSource(() => Date.parse(NOW));

const busEvent = (detailType: string, data: Record<string, unknown>, actor = { type: 'user', id: 'admin-1' }) => ({
  id: 'bus-1',
  'detail-type': detailType,
  source: 'crm',
  time: NOW,
  detail: { id: 'evt-1', type: detailType, occurredAt: NOW, tenantId: 'acme', actor, correlationId: 'req-1', data },
});

const pass = (overrides: Partial<ReschedulePass> = {}): ReschedulePass => ({
  tenantId: 'acme',
  trigger: 'policy-changed',
  poolId: 'p-1',
  policyVersion: 2,
  after: null,
  originEventId: 'evt-1',
  correlationId: 'req-1',
  invocations: 0,
  ...overrides,
});

const entry = (customerId: string, overrides: Partial<OwnedCustomerEntry> = {}): OwnedCustomerEntry => ({
  customerId,
  ownerId: 'rep-1',
  homePoolId: 'p-1',
  reclaimCheckAt: '2026-06-01T00:00:00.000Z',
  ...overrides,
});

describe('passFromEvent', () => {
  it("starts a first-pool pass for the tenant's first pool only", () => {
    expect(passFromEvent(busEvent('crm.pool.created.v1', { poolId: 'p-1', policyVersion: 1, isDefault: true, firstPool: true }))).toEqual(
      pass({ trigger: 'first-pool', policyVersion: 1 }),
    );
    expect(passFromEvent(busEvent('crm.pool.created.v1', { poolId: 'p-2', policyVersion: 1, isDefault: false, firstPool: false }))).toBeNull();
  });

  it('starts a policy-changed pass, and goes on with a continuation where it stopped', () => {
    expect(passFromEvent(busEvent('crm.pool.policy-changed.v1', { poolId: 'p-1', policyVersion: 2, isDefault: false }))).toEqual(pass());
    const continued = busEvent(
      'crm.reclaim.reschedule-continued.v1',
      { trigger: 'policy-changed', poolId: 'p-1', policyVersion: 2, after: '2026-04-01T00:00:00.000Z#C9', originEventId: 'evt-0', invocations: 3 },
      { type: 'system', id: 'reclaim' },
    );
    expect(passFromEvent(continued)).toEqual(pass({ after: '2026-04-01T00:00:00.000Z#C9', originEventId: 'evt-0', invocations: 3 }));
  });

  it('ignores other events and rejects a broken contract', () => {
    expect(passFromEvent(busEvent('crm.customer.created.v1', {}))).toBeNull();
    expect(() => passFromEvent(busEvent('crm.pool.policy-changed.v1', { poolId: 'p-1' }))).toThrow();
  });
});

describe('which customers get a new check', () => {
  it("first pool: every owned customer, with a check or without (the sweep dropped it for lack of a pool)", () => {
    const first = pass({ trigger: 'first-pool' });
    expect(needsNewCheck(entry('a', { homePoolId: null, reclaimCheckAt: null }), first)).toBe(true);
    expect(needsNewCheck(entry('b', { homePoolId: null }), first)).toBe(true);
  });

  it('policy change of P: the customers P governs and those no pool governs yet, whatever their check', () => {
    expect(needsNewCheck(entry('exempt', { reclaimCheckAt: null }), pass())).toBe(true);
    expect(needsNewCheck(entry('scheduled'), pass())).toBe(true);
    expect(needsNewCheck(entry('homeless', { homePoolId: null, reclaimCheckAt: null }), pass())).toBe(true);
    expect(needsNewCheck(entry('elsewhere', { homePoolId: 'p-2' }), pass())).toBe(false);
  });

  it('a policy change is superseded by a newer policy version (its own event runs a pass) or a missing pool', () => {
    expect(isSuperseded(pass(), 2)).toBe(false);
    expect(isSuperseded(pass(), 3)).toBe(true);
    expect(isSuperseded(pass(), null)).toBe(true);
    expect(isSuperseded(pass({ trigger: 'first-pool' }), null)).toBe(false);
  });

  it('filters the tenant list the same way: owned, and for a policy change home pool P, NULL or absent', () => {
    expect(candidateFilter(pass({ trigger: 'first-pool' }))).toEqual({ expression: 'attribute_type(ownerId, :string)', values: { ':string': 'S' } });
    expect(candidateFilter(pass())).toEqual({
      expression: 'attribute_type(ownerId, :string) AND (homePoolId = :pool OR attribute_not_exists(homePoolId) OR attribute_type(homePoolId, :nullType))',
      values: { ':string': 'S', ':pool': 'p-1', ':nullType': 'NULL' },
    });
  });
});

describe('the check write', () => {
  it('sets reclaimCheckAt and its GSI2 keys only, if the profile is live and still has the owner', () => {
    const input = scheduleCheckUpdate('crm-table', 'acme', { customerId: '01CUSTOMER3', ownerId: 'rep-1' }, NOW);

    expect(input).toMatchObject({
      TableName: 'crm-table',
      Key: { PK: 'T#acme#C#01CUSTOMER3', SK: 'PROFILE' },
      UpdateExpression: 'SET reclaimCheckAt = :at, #gsi2pk = :gsi2pk, #gsi2sk = :gsi2sk',
      ExpressionAttributeNames: { '#gsi2pk': 'GSI2PK', '#gsi2sk': 'GSI2SK' },
      ExpressionAttributeValues: { ':at': NOW, ':gsi2pk': 'RECLAIM#3', ':gsi2sk': `${NOW}#acme#01CUSTOMER3`, ':owner': 'rep-1', ':liveNull': null },
    });
    expect(input.ConditionExpression).toContain('attribute_exists(PK)');
    expect(input.ConditionExpression).toContain('mergedInto');
    expect(input.ConditionExpression).toContain('erasedAt');
    expect(input.ConditionExpression).toMatch(/AND ownerId = :owner$/);
    // Bookkeeping: an editor's ETag stays valid, and no other index key is written from a projection.
    expect(input.UpdateExpression).not.toMatch(/version|updatedAt|GSI[1345]/);
  });

  it('starts a page after a stopped pass from the tenant-list sort key alone', () => {
    expect(tenantListStartKey('acme', '2026-04-01T00:00:00.000Z#01C9')).toEqual({
      PK: 'T#acme#C#01C9',
      SK: 'PROFILE',
      GSI4PK: 'T#acme#CUSTOMERS',
      GSI4SK: '2026-04-01T00:00:00.000Z#01C9',
    });
    expect(tenantListStartKey('acme', 'no-separator')).toBeUndefined();
  });
});

describe('RescheduleRepository', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const repo = () => new RescheduleRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
  beforeEach(() => ddb.reset());

  it('queries the tenant list (GSI4) oldest update first, filtered, projected, from the cursor; never a Scan', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [{ id: 'c1', ownerId: 'rep-1', homePoolId: null, GSI4SK: 'x#c1' }, { id: 'c2', ownerId: null }],
      LastEvaluatedKey: { PK: 'T#acme#C#c2', SK: 'PROFILE', GSI4PK: 'T#acme#CUSTOMERS', GSI4SK: '2026-04-02T00:00:00.000Z#c2' },
    });
    const page = await repo().ownedCustomersPage(pass(), '2026-04-01T00:00:00.000Z#c0', 50);

    expect(page).toEqual({ entries: [{ customerId: 'c1', ownerId: 'rep-1', homePoolId: null, reclaimCheckAt: null }], after: '2026-04-02T00:00:00.000Z#c2' });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: 'GSI4',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeValues: { ':pk': 'T#acme#CUSTOMERS', ':pool': 'p-1' },
      ScanIndexForward: true,
      Limit: 50,
      ExclusiveStartKey: { PK: 'T#acme#C#c0', GSI4SK: '2026-04-01T00:00:00.000Z#c0' },
    });
  });

  it("reports a failed owner condition as a lost race, and writes the continuation to the pool's partition", async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    ddb.on(PutCommand).resolves({});
    expect(await repo().scheduleCheck('acme', entry('c1'), NOW)).toBe('race');

    await repo().continueLater('acme', 'p-1', { detailType: 'crm.reclaim.reschedule-continued.v1', detail: { id: 'e-9' } });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ PK: 'T#acme#POOLS', SK: '$EVT#e-9', entity: 'OutboxEvent' });
  });
});

describe('reschedulePass', () => {
  const pages = (...list: { entries: OwnedCustomerEntry[]; after: string | null }[]) => {
    const ownedCustomersPage = vi.fn();
    for (const page of list) ownedCustomersPage.mockResolvedValueOnce(page);
    return ownedCustomersPage;
  };
  const deps = (repo: Partial<RescheduleDeps['repo']>, remainingMs = () => 100_000): RescheduleDeps => ({
    repo: {
      policyVersion: vi.fn().mockResolvedValue(2),
      ownedCustomersPage: pages(),
      scheduleCheck: vi.fn().mockResolvedValue('written'),
      continueLater: vi.fn(),
      ...repo,
    },
    remainingMs,
  });

  it('sets the check of every candidate to now, page by page to the end of the tenant list', async () => {
    const d = deps({
      ownedCustomersPage: pages({ entries: [entry('a'), entry('b', { homePoolId: 'p-2' })], after: 'k1' }, { entries: [entry('c', { homePoolId: null })], after: null }),
      scheduleCheck: vi.fn().mockResolvedValueOnce('written').mockResolvedValueOnce('race'),
    });
    const result = await reschedulePass(d, pass());

    expect(result).toEqual({ pass: 'policy-changed', superseded: false, looked: 3, rescheduled: 1, raced: 1, continuedAfter: null });
    expect(vi.mocked(d.repo.scheduleCheck).mock.calls).toEqual([
      ['acme', entry('a'), NOW],
      ['acme', entry('c', { homePoolId: null }), NOW],
    ]);
    expect(vi.mocked(d.repo.ownedCustomersPage).mock.calls.map(([, after, limit]) => [after, limit])).toEqual([[null, PAGE_SIZE], ['k1', PAGE_SIZE]]);
    expect(d.repo.continueLater).not.toHaveBeenCalled();
  });

  it('reads nothing more for a superseded policy change', async () => {
    const d = deps({ policyVersion: vi.fn().mockResolvedValue(3) });
    expect(await reschedulePass(d, pass())).toMatchObject({ superseded: true, looked: 0 });
    expect(d.repo.ownedCustomersPage).not.toHaveBeenCalled();
  });

  it('hands the rest to a continuation when time runs low, after at least one page', async () => {
    const d = deps({ ownedCustomersPage: pages({ entries: [entry('a')], after: 'k1' }) }, () => STOP_MARGIN_MS - 1);
    const result = await reschedulePass(d, pass({ trigger: 'first-pool', invocations: 2, after: 'k0' }));

    expect(result).toMatchObject({ rescheduled: 1, continuedAfter: 'k1' });
    const [tenantId, poolId, event] = vi.mocked(d.repo.continueLater).mock.calls[0]!;
    expect([tenantId, poolId]).toEqual(['acme', 'p-1']);
    expect(reclaimRescheduleContinuedV1.schema.parse(event.detail)).toMatchObject({
      tenantId: 'acme',
      actor: { type: 'system', id: 'reclaim' },
      correlationId: 'req-1',
      data: { trigger: 'first-pool', poolId: 'p-1', policyVersion: 2, after: 'k1', originEventId: 'evt-1', invocations: 3 },
    });
  });

  it('does nothing for an event that asks for no pass', async () => {
    const d = deps({});
    expect(await rescheduleFromEvent(d, busEvent('crm.pool.created.v1', { poolId: 'p-2', policyVersion: 1, isDefault: false, firstPool: false }))).toMatchObject({ pass: null });
    expect(d.repo.ownedCustomersPage).not.toHaveBeenCalled();
  });
});
