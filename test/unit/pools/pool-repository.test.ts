import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Forbidden, StaleVersion } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';
import { createPoolInput, newPool, type Pool, poolPatch } from '../../../shared/pools/pool';
import { readableThroughPool } from '../../../shared/pools/pool-access';
import { DefaultPoolRequired, PoolConflict, PoolNotFound } from '../../../shared/pools/pool-errors';
import { DefaultPoolMoved, PoolRepository } from '../../../shared/pools/pool-repository';
import { createPool, updatePool } from '../../../shared/pools/pool-use-cases';
import { policyInput } from './policy-fixtures';

const NOW = '2026-03-01T09:00:00.000Z';
const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };
const rep: Caller = { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] };
const pool = (id: string, body: Record<string, unknown> = {}): Pool =>
  newPool(createPoolInput.parse({ name: id, members: { users: ['rep-1'], groups: [] }, policy: policyInput(), ...body }), admin, id, NOW);

const ddb = mockClient(DynamoDBDocumentClient);
const repo = () => new PoolRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: reasons as never });
const transactItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;

beforeEach(() => ddb.reset());

describe('PoolRepository.create', () => {
  it("writes the tenant's first pool with the default pointer, both only if absent", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().create({ ...pool('p-1'), isDefault: true }, null);

    const [put, pointer] = transactItems();
    expect(put!.Put).toMatchObject({ Item: { PK: 'T#acme#POOLS', SK: 'POOL#p-1', entity: 'Pool', isDefault: true }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(pointer!.Put).toMatchObject({ Item: { PK: 'T#acme#POOLS', SK: 'DEFAULT', poolId: 'p-1' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(transactItems()).toHaveLength(2);
  });

  it('moves the pointer from the old default and unsets its flag (bumping its version) in the same transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().create({ ...pool('p-2'), isDefault: true }, 'p-1');

    const [, pointer, oldDefault] = transactItems();
    expect(pointer!.Update).toMatchObject({
      Key: { PK: 'T#acme#POOLS', SK: 'DEFAULT' },
      ConditionExpression: 'poolId = :old',
      ExpressionAttributeValues: { ':new': 'p-2', ':old': 'p-1' },
    });
    expect(oldDefault!.Update).toMatchObject({
      Key: { PK: 'T#acme#POOLS', SK: 'POOL#p-1' },
      UpdateExpression: expect.stringContaining('ADD #version :one'),
      ConditionExpression: 'isDefault = :true',
    });
  });

  it('writes a pool that is not the default alone', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().create(pool('p-3'), 'p-1');
    expect(transactItems()).toHaveLength(1);
  });

  it('reports a pointer that moved meanwhile as DefaultPoolMoved', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    await expect(repo().create({ ...pool('p-1'), isDefault: true }, null)).rejects.toThrow(DefaultPoolMoved);
  });
});

describe('PoolRepository.update', () => {
  const before = pool('p-2', { isDefault: false });
  const after = { ...before, name: 'Renamed', version: 2 };

  it('replaces the pool if it is still at the version read', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().update(before, after, null);
    expect(transactItems()).toHaveLength(1);
    expect(transactItems()[0]!.Put).toMatchObject({ ConditionExpression: '#version = :expected', ExpressionAttributeValues: { ':expected': 1 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
  });

  it('answers StaleVersion with the current version, or PoolNotFound when the pool is gone', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: { N: '4' } } }])).rejectsOnce(cancelled([{ Code: 'ConditionalCheckFailed' }]));
    await expect(repo().update(before, after, null)).rejects.toMatchObject({ currentVersion: 4 });
    await expect(repo().update(before, after, null)).rejects.toThrow(PoolNotFound);
  });

  it('moves the default when the update makes the pool the default', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().update(before, { ...after, isDefault: true }, 'p-1');
    expect(transactItems()).toHaveLength(3);
  });
});

describe('pool use cases', () => {
  const stubRepository = (overrides: Partial<Record<keyof PoolRepository, unknown>>) => overrides as unknown as PoolRepository;

  it('makes the first pool the default, and reads the pointer again when it moved meanwhile', async () => {
    const create = vi.fn().mockRejectedValueOnce(new DefaultPoolMoved()).mockResolvedValueOnce(undefined);
    const defaultPoolId = vi.fn().mockResolvedValueOnce(null).mockResolvedValueOnce('p-other');
    const created = await createPool(stubRepository({ create, defaultPoolId }), admin, createPoolInput.parse({ name: 'P', members: { users: [], groups: [] }, policy: policyInput() }));

    expect(create.mock.calls.map(([p, current]) => [(p as Pool).isDefault, current])).toEqual([[true, null], [false, 'p-other']]);
    expect(created.isDefault).toBe(false);
  });

  it('gives up with 409 pool-conflict when the pointer keeps moving', async () => {
    const repository = stubRepository({ create: vi.fn().mockRejectedValue(new DefaultPoolMoved()), defaultPoolId: vi.fn().mockResolvedValue('p-1') });
    await expect(createPool(repository, admin, createPoolInput.parse({ name: 'P', members: { users: [], groups: [] }, policy: policyInput() }))).rejects.toThrow(PoolConflict);
  });

  it('refuses non-admins, a stale version and unsetting the default', async () => {
    const theDefault = { ...pool('p-1'), isDefault: true };
    const repository = stubRepository({ get: vi.fn().mockResolvedValue(theDefault), update: vi.fn() });
    const patch = poolPatch.parse({ isDefault: false });

    await expect(createPool(repository, rep, createPoolInput.parse({ name: 'P', members: { users: [], groups: [] }, policy: policyInput() }))).rejects.toThrow(Forbidden);
    await expect(updatePool(repository, rep, 'p-1', patch, 1)).rejects.toThrow(Forbidden);
    await expect(updatePool(repository, admin, 'p-1', patch, 2)).rejects.toThrow(StaleVersion);
    await expect(updatePool(repository, admin, 'p-1', patch, 1)).rejects.toThrow(DefaultPoolRequired);
  });
});

describe('readableThroughPool', () => {
  const customer = { tenantId: 'acme', poolId: 'p-1' };

  it('reads the pool only for a pooled customer, and allows its members', async () => {
    const get = vi.fn().mockResolvedValue(pool('p-1'));
    expect(await readableThroughPool({ get }, rep, customer)).toBe(true);
    expect(await readableThroughPool({ get }, { ...rep, userId: 'rep-2' }, customer)).toBe(false);
    expect(await readableThroughPool({ get }, rep, { ...customer, poolId: null })).toBe(false);
    expect(await readableThroughPool(undefined, rep, customer)).toBe(false);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('answers false for an unknown pool', async () => {
    expect(await readableThroughPool({ get: vi.fn().mockResolvedValue(undefined) }, rep, customer)).toBe(false);
  });
});

describe('PoolRepository reads', () => {
  it('reads the default pointer strongly consistent', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'T#acme#POOLS', SK: 'DEFAULT', poolId: 'p-1' } });
    expect(await repo().defaultPoolId('acme')).toBe('p-1');
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { PK: 'T#acme#POOLS', SK: 'DEFAULT' }, ConsistentRead: true });
  });
});
