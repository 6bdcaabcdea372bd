import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { poolCreatedV1 } from '../../../events/pool-created.v1';
import { poolPolicyChangedV1 } from '../../../events/pool-policy-changed.v1';
import type { Caller } from '../../../shared/access/caller';
import { createPoolInput, newPool, type Pool, poolPatch } from '../../../shared/pools/pool';
import { DefaultPoolMoved, PoolRepository } from '../../../shared/pools/pool-repository';
import { createPool, updatePool } from '../../../shared/pools/pool-use-cases';
import { policyInput } from './policy-fixtures';

const NOW = '2026-03-01T09:00:00.000Z';
const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };
const input = createPoolInput.parse({ name: 'P', members: { users: [], groups: ['rep'] }, policy: policyInput() });
const pool = (id: string, overrides: Partial<Pool> = {}): Pool => ({ ...newPool(input, admin, id, NOW), ...overrides });
const stub = (overrides: Partial<Record<keyof PoolRepository, unknown>>) => overrides as unknown as PoolRepository;
const eventsOf = (call: unknown[] | undefined) => (call?.at(-1) ?? []) as { detailType: string; detail: { data: unknown; correlationId: string } }[];

describe('pool events', () => {
  it("emits crm.pool.created.v1 with the pool's create, firstPool decided by the same pointer read as the default", async () => {
    const create = vi.fn().mockRejectedValueOnce(new DefaultPoolMoved()).mockResolvedValueOnce(undefined);
    const defaultPoolId = vi.fn().mockResolvedValueOnce(null).mockResolvedValueOnce('p-other');
    const created = await createPool(stub({ create, defaultPoolId }), admin, input, 'req-7');

    const [first, retried] = create.mock.calls.map(eventsOf);
    expect(first).toEqual([expect.objectContaining({ detailType: 'crm.pool.created.v1', detail: expect.objectContaining({ data: { poolId: created.id, policyVersion: 1, isDefault: true, firstPool: true } }) })]);
    // The first attempt lost the pointer race: the pool that was written is not the first, and its event says so.
    expect(retried![0]!.detail).toMatchObject({ correlationId: 'req-7', data: { poolId: created.id, isDefault: false, firstPool: false } });
    expect(poolCreatedV1.schema.safeParse(retried![0]!.detail).success).toBe(true);
  });

  it('emits crm.pool.policy-changed.v1 only when the policy changes', async () => {
    const update = vi.fn().mockResolvedValue(undefined);
    const repository = stub({ get: vi.fn().mockResolvedValue(pool('p-1', { isDefault: true })), update });

    await updatePool(repository, admin, 'p-1', poolPatch.parse({ name: 'Renamed' }), 1, 'req-8');
    await updatePool(repository, admin, 'p-1', poolPatch.parse({ policy: policyInput({ warningDaysBefore: 5 }) }), 1, 'req-9');

    expect(eventsOf(update.mock.calls[0])).toEqual([]);
    const [changed] = eventsOf(update.mock.calls[1]);
    expect(changed).toMatchObject({ detailType: 'crm.pool.policy-changed.v1', detail: { correlationId: 'req-9', data: { poolId: 'p-1', policyVersion: 2, isDefault: true } } });
    expect(poolPolicyChangedV1.schema.safeParse(changed!.detail).success).toBe(true);
  });
});

describe('PoolRepository with events', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const repo = () => new PoolRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
  beforeEach(() => ddb.reset());

  it("commits the outbox item in the pools partition, last in the pool's transaction", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().create({ ...pool('p-1'), isDefault: true }, null, [{ detailType: 'crm.pool.created.v1', detail: { id: 'e-1' } }]);
    await repo().update(pool('p-1'), { ...pool('p-1'), version: 2, policyVersion: 2 }, null, [{ detailType: 'crm.pool.policy-changed.v1', detail: { id: 'e-2' } }]);

    const [created, updated] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(created).toHaveLength(3);
    expect(created!.at(-1)!.Put!.Item).toMatchObject({ PK: 'T#acme#POOLS', SK: '$EVT#e-1', detailType: 'crm.pool.created.v1', entity: 'OutboxEvent' });
    expect(updated).toHaveLength(2);
    expect(updated!.at(-1)!.Put!.Item).toMatchObject({ PK: 'T#acme#POOLS', SK: '$EVT#e-2', detailType: 'crm.pool.policy-changed.v1' });
  });
});
