import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ValidationFailed } from '../../../shared/errors';
import { poolResponse } from '../../../api/responses/pools';
import { directoryUserResponse } from '../../../api/responses/users';
import type { Caller } from '../../../shared/access/caller';
import { decodeIndexCursor } from '../../../shared/pagination';
import { createPoolInput, newPool, poolView } from '../../../shared/pools/pool';
import { PoolCustomerLister } from '../../../shared/pools/pool-customer-list-repository';
import { parsePoolCustomersQuery, poolCustomerFilterExpression } from '../../../shared/pools/pool-customer-query';
import { canReadUser, parseUserId, putUserInput, userEntry, userView } from '../../../shared/users/user';
import { UserDirectory } from '../../../shared/users/user-repository';
import { policyInput } from './policy-fixtures';

const pathsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.path).sort();
    throw error;
  }
  return [];
};
const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const ddb = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
beforeEach(() => ddb.reset());

describe('parsePoolCustomersQuery', () => {
  it('takes industry, region and level as equality filters, with the default page size', () => {
    expect(parsePoolCustomersQuery({ industry: ' Fintech ', level: 'A', region: undefined })).toEqual({ filter: { industry: 'Fintech', level: 'A' }, limit: 25, cursor: undefined });
    expect(poolCustomerFilterExpression({ industry: 'Fintech', level: 'A' })).toEqual({
      expression: '#f0 = :f0 AND #f1 = :f1',
      names: { '#f0': 'industry', '#f1': 'level' },
      values: { ':f0': 'Fintech', ':f1': 'A' },
    });
    expect(poolCustomerFilterExpression({}).expression).toBeUndefined();
  });

  it('names each bad parameter', () => {
    expect(pathsOf(() => parsePoolCustomersQuery({ owner: 'me' }))).toEqual(['query.owner']);
    expect(pathsOf(() => parsePoolCustomersQuery({ limit: '0' }))).toEqual(['query.limit']);
    expect(pathsOf(() => parsePoolCustomersQuery({ limit: '101' }))).toEqual(['query.limit']);
    expect(pathsOf(() => parsePoolCustomersQuery({ level: 'x'.repeat(17) }))).toEqual(['query.level']);
  });
});

describe('PoolCustomerLister', () => {
  it("reads one page of the pool's book on GSI1, newest first, filters on the page", async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: undefined });
    const page = await new PoolCustomerLister(client(), 'crm-table').page('acme', 'p-1', { filter: { region: 'EMEA' }, limit: 10, cursor: undefined });

    expect(page).toEqual({ items: [], cursor: null });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: '#f0 = :f0',
      ExpressionAttributeValues: { ':pk': 'T#acme#POOL#p-1', ':f0': 'EMEA' },
      ScanIndexForward: false,
      Limit: 10,
    });
  });

  it("accepts only a cursor of the same pool's book", async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const lister = new PoolCustomerLister(client(), 'crm-table');
    const key = { PK: 'T#acme#C#01J', SK: 'PROFILE', GSI1PK: 'T#acme#POOL#p-1', GSI1SK: '2026-01-01T00:00:00.000Z#01J' };
    await lister.page('acme', 'p-1', { filter: {}, limit: 10, cursor: encode(key) });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input.ExclusiveStartKey).toEqual(key);
    await expect(lister.page('acme', 'p-2', { filter: {}, limit: 10, cursor: encode(key) })).rejects.toThrow(ValidationFailed);
    await expect(lister.page('acme', 'p-1', { filter: {}, limit: 10, cursor: encode({ ...key, GSI1PK: 'T#acme#OWNER#rep-1' }) })).rejects.toThrow(ValidationFailed);
  });
});

describe('decodeIndexCursor', () => {
  const index = { pk: 'GSI3PK', sk: 'GSI3SK' };
  const valid = { PK: 'T#acme#USER#u-1', SK: 'PROFILE', GSI3PK: 'T#acme#USERS', GSI3SK: 'u-1' };
  const isUser = (key: { PK: string; SK: string }) => key.PK.startsWith('T#acme#USER#') && key.SK === 'PROFILE';

  it('accepts a key of this index partition naming a listed item', () => {
    expect(decodeIndexCursor(encode(valid), index, 'T#acme#USERS', isUser)).toEqual(valid);
    expect(decodeIndexCursor(undefined, index, 'T#acme#USERS', isUser)).toBeUndefined();
  });

  it.each([
    ['another partition', { ...valid, GSI3PK: 'T#other#USERS' }],
    ['another kind of item', { ...valid, PK: 'T#acme#C#01J' }],
    ['extra attributes', { ...valid, x: '1' }],
    ['an array', [valid]],
    ['not JSON', 'garbage'],
  ])('rejects %s', (_, key) => {
    const cursor = typeof key === 'string' ? key : encode(key);
    expect(pathsOf(() => decodeIndexCursor(cursor, index, 'T#acme#USERS', isUser))).toEqual(['query.cursor']);
  });
});

describe('user directory', () => {
  const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };
  const entry = userEntry(putUserInput.parse({ email: 'Ada@Example.com', name: 'Ada' }), admin, 'rep-1', '2026-03-01T09:00:00.000Z');

  it('validates user ids and entries', () => {
    expect(parseUserId('0b6c0e7e-1f2a-4f6e-9a57-6c1d2f3e4a5b')).toBe('0b6c0e7e-1f2a-4f6e-9a57-6c1d2f3e4a5b');
    expect(pathsOf(() => parseUserId('a#b'))).toEqual(['path.userId']);
    expect(pathsOf(() => parseUserId(undefined))).toEqual(['path.userId']);
    expect(entry).toMatchObject({ email: 'ada@example.com', teamId: null, tenantId: 'acme' });
    expect(putUserInput.safeParse({ email: 'a@b.example', name: 'A', teamId: 'bad team' }).success).toBe(false);
  });

  it('lets admins, managers and the user themself read an entry', () => {
    const as = (groups: Caller['groups'], userId = 'someone'): Caller => ({ userId, tenantId: 'acme', groups });
    expect([canReadUser(as(['admin']), 'rep-1'), canReadUser(as(['manager']), 'rep-1'), canReadUser(as(['rep'], 'rep-1'), 'rep-1'), canReadUser(as(['rep']), 'rep-1')]).toEqual([true, true, true, false]);
  });

  it('upserts in one UpdateItem that keeps the first creation and indexes the user on GSI3', async () => {
    ddb.on(UpdateCommand).resolvesOnce({}).resolvesOnce({ Attributes: { createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'admin-0' } });
    const directory = new UserDirectory(client(), 'crm-table');

    expect(await directory.put(entry)).toEqual({ user: entry, created: true });
    expect((await directory.put(entry)).user).toMatchObject({ createdAt: '2025-01-01T00:00:00.000Z', createdBy: 'admin-0', updatedAt: entry.updatedAt });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ PK: 'T#acme#USER#rep-1', SK: 'PROFILE' });
    expect(input.UpdateExpression).toContain('createdAt = if_not_exists(createdAt, :createdAt)');
    expect(Object.values(input.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['T#acme#USERS', 'rep-1', 'User']));
  });
});

describe('response schemas', () => {
  it('describe real pool and user views, property for property', () => {
    const admin: Caller = { userId: 'admin-1', tenantId: 'acme', groups: ['admin'] };
    const strict = <T extends z.ZodMiniObject>(schema: T) => z.strictObject(schema.shape);
    const pool = newPool(createPoolInput.parse({ name: 'P', members: { users: ['u-1'], groups: ['rep'] }, routing: { regions: ['EMEA'] }, policy: policyInput() }), admin, 'p-1', '2026-03-01T09:00:00.000Z');
    expect(strict(poolResponse).safeParse(poolView(pool)).success).toBe(true);
    const user = userEntry(putUserInput.parse({ email: 'a@b.example', name: 'A', teamId: 'emea' }), admin, 'u-1', '2026-03-01T09:00:00.000Z');
    expect(strict(directoryUserResponse).safeParse(userView(user)).success).toBe(true);
  });
});
