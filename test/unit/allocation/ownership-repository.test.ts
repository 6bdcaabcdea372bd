import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimed } from '../../../shared/allocation/ownership';
import { OwnershipRepository, type OwnershipWrite } from '../../../shared/allocation/ownership-repository';
import { bookCounter, dailyClaimsCounter } from '../../../shared/allocation/user-counters';
import { installTimeSource } from '../../../shared/clock';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new OwnershipRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const NOW = '2026-03-10T12:00:00.000Z';
const rep = { userId: 'rep-1', tenantId: 'acme', groups: ['rep' as const], teamId: 'north' };

const pooledCustomer: Customer = {
  ...newCustomer(createCustomerInput.parse({ name: 'Ada' }), { userId: 'mgr-1', tenantId: 'acme', groups: ['manager'] }, 'C1', '2026-03-01T09:00:00.000Z'),
  poolId: 'P1',
  homePoolId: 'P1',
  version: 3,
};

const claimWrite = (): OwnershipWrite => {
  const after = claimed(pooledCustomer, rep, 'P1', NOW);
  return {
    before: pooledCustomer,
    after,
    fields: ['ownerId', 'poolId', 'version'],
    condition: { expression: 'ownerId = :noOwner', values: { ':noOwner': null } },
    counters: [dailyClaimsCounter('acme', 'rep-1', '2026-03-10', 20), bookCounter('acme', 'rep-1', { owned: 1 }, { counter: 'owned', limit: 200 })],
    history: { id: 'H1', customerId: 'C1', from: null, to: 'rep-1', poolId: 'P1', reason: 'claimed', note: null, actor: { type: 'user', id: 'rep-1' }, at: NOW },
    events: [{ detailType: 'crm.customer.claimed.v1', detail: { id: 'E1' } }],
  };
};

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })),
  });

/** Commits the claim write against a transaction cancelled for these reasons. */
async function commitCancelled(reasons: { Code: string; Item?: Record<string, unknown> }[]) {
  ddb.reset();
  ddb.on(TransactWriteCommand).rejects(cancelled(reasons));
  return repository().commit(claimWrite());
}

const sentItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;

describe('OwnershipRepository.commit', () => {
  beforeEach(() => {
    ddb.reset();
    installTimeSource(() => Date.parse(NOW));
  });
  afterEach(() => installTimeSource(Date.now));

  it('writes profile, counters, history and event in one transaction, each condition where it belongs', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().commit(claimWrite())).toEqual({ ok: true });

    const [profile, daily, book, history, event] = sentItems();
    expect(profile!.Update).toMatchObject({
      Key: { PK: 'T#acme#C#C1', SK: 'PROFILE' },
      ConditionExpression: expect.stringMatching(/^attribute_exists\(PK\) AND .*mergedInto.*erasedAt.* AND #readVersion = :readVersion AND \(ownerId = :noOwner\)$/),
      ExpressionAttributeValues: expect.objectContaining({ ':readVersion': 3, ':noOwner': null, ':liveNull': null }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    // Only the operation's fields, with the index keys of the new state: the owner's book and the reclaim index.
    const set = profile!.Update!;
    const written = Object.fromEntries(Object.entries(set.ExpressionAttributeNames!).filter(([k]) => k.startsWith('#f')).map(([k, name]) => [name, set.ExpressionAttributeValues![`:v${k.slice(2)}`]]));
    expect(written).toMatchObject({ ownerId: 'rep-1', poolId: null, version: 4, GSI1PK: 'T#acme#OWNER#rep-1', GSI2SK: `${NOW}#acme#C1` });
    expect(written).not.toHaveProperty('name');

    expect(daily!.Update).toEqual({
      TableName: 'crm-table',
      Key: { PK: 'T#acme#USER#rep-1', SK: 'CLAIMS#2026-03-10' },
      UpdateExpression: 'SET #entity = :entity, #ttl = :ttl ADD #count :count',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#entity': 'entity', '#count': 'count', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':entity': 'UserDailyClaims', ':count': 1, ':limit': 20, ':ttl': Date.parse(NOW) / 1000 + 2 * 86400 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(book!.Update).toMatchObject({
      Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' },
      UpdateExpression: 'SET #entity = :entity ADD #owned :owned',
      ConditionExpression: 'attribute_not_exists(#owned) OR #owned < :limit',
      ExpressionAttributeValues: { ':entity': 'UserBookCounters', ':owned': 1, ':limit': 200 },
    });
    expect(history!.Put!.Item).toMatchObject({ PK: 'T#acme#C#C1', SK: `OWNER#${NOW}#H1`, entity: 'OwnershipChange', reason: 'claimed' });
    expect(event!.Put!.Item).toMatchObject({ PK: 'T#acme#C#C1', SK: '$EVT#E1' });
  });

  it('adds to several counters of one item at once, unbounded unless asked, and admits nothing under a cap of 0', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const write = { ...claimWrite(), counters: [bookCounter('acme', 'rep-1', { owned: -1, locked: -1 }), bookCounter('acme', 'rep-2', { locked: 1 }, { counter: 'locked', limit: 0 })] };

    await repository().commit(write);

    const [, release, lock] = sentItems();
    expect(release!.Update).toMatchObject({ UpdateExpression: 'SET #entity = :entity ADD #owned :owned, #locked :locked', ExpressionAttributeValues: { ':owned': -1, ':locked': -1 } });
    expect(release!.Update!.ConditionExpression).toBeUndefined();
    expect(lock!.Update!.ConditionExpression).toBe('#locked < :limit');
  });

  it('reports a profile that moved on with its current state, and one that is gone as undefined', async () => {
    const moved = await commitCancelled([{ Code: 'ConditionalCheckFailed', Item: { id: 'C1', ownerId: 'rep-9', version: 4 } }, { Code: 'None' }]);
    expect(moved).toMatchObject({ ok: false, refused: 'profile', current: { id: 'C1', ownerId: 'rep-9', version: 4 } });

    expect(await commitCancelled([{ Code: 'ConditionalCheckFailed' }])).toEqual({ ok: false, refused: 'profile', current: undefined });
  });

  it('reports a capped counter with the value it holds; the profile wins when both failed', async () => {
    const daily = await commitCancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { count: 20 } }, { Code: 'None' }]);
    expect(daily).toMatchObject({ ok: false, refused: 'counter', counter: { tag: 'dailyClaims' }, value: 20 });

    const book = await commitCancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { owned: 200 } }]);
    expect(book).toMatchObject({ refused: 'counter', counter: { tag: 'book' }, value: 200 });

    const both = await commitCancelled([{ Code: 'ConditionalCheckFailed', Item: { id: 'C1', ownerId: 'rep-9' } }, { Code: 'ConditionalCheckFailed', Item: { count: 20 } }]);
    expect(both).toMatchObject({ refused: 'profile' });
  });

  it('retries transaction conflicts and lets other failures through', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'TransactionConflict' }])).resolves({});
    expect(await repository().commit(claimWrite())).toEqual({ ok: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    await expect(repository().commit(claimWrite())).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});

describe('OwnershipRepository.commitBatch', () => {
  beforeEach(() => {
    ddb.reset();
    installTimeSource(() => Date.parse(NOW));
  });
  afterEach(() => installTimeSource(Date.now));

  const second = (): OwnershipWrite => {
    const write = claimWrite();
    const before = { ...pooledCustomer, id: 'C2' };
    return { ...write, before, after: { ...claimed(before, rep, 'P1', NOW) }, history: { ...write.history!, id: 'H2', customerId: 'C2' }, events: [{ detailType: 'crm.customer.claimed.v1', detail: { id: 'E2' } }] };
  };
  const batch = () => ({ changes: [claimWrite(), second()], counters: [dailyClaimsCounter('acme', 'rep-1', '2026-03-10', 19, 2)] });

  it('puts every profile first, then the counters, then each history entry and event', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().commitBatch(batch())).toEqual({ ok: true });

    const items = sentItems();
    expect(items.map((i) => (i.Update ? `U ${i.Update.Key!.PK}/${i.Update.Key!.SK}` : `P ${i.Put!.Item!.SK}`))).toEqual([
      'U T#acme#C#C1/PROFILE',
      'U T#acme#C#C2/PROFILE',
      'U T#acme#USER#rep-1/CLAIMS#2026-03-10',
      `P OWNER#${NOW}#H1`,
      'P $EVT#E1',
      `P OWNER#${NOW}#H2`,
      'P $EVT#E2',
    ]);
    expect(items[2]!.Update!.ExpressionAttributeValues).toMatchObject({ ':count': 2, ':limit': 19 });
  });

  it('names every profile that moved on, and finds the counter after the profiles', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed', Item: { id: 'C2', ownerId: 'rep-9' } }, { Code: 'None' }]));
    const moved = await repository().commitBatch(batch());
    expect(moved).toMatchObject({ ok: false, refused: 'profile' });
    expect(moved.ok === false && moved.refused === 'profile' && [...moved.profiles]).toEqual([
      [0, undefined],
      [1, expect.objectContaining({ id: 'C2', ownerId: 'rep-9' })],
    ]);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { count: 19 } }]));
    expect(await repository().commitBatch(batch())).toMatchObject({ ok: false, refused: 'counter', counter: { tag: 'dailyClaims' }, value: 19 });
  });

  const dealPut = (id: string, version: number) => ({
    name: `book-${id}`,
    put: { TableName: 'crm-table', Item: { PK: 'T#acme#C#C2', SK: `DEAL#${id}`, version: version + 1 }, ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': version } },
  });

  it("puts each change's book after the records, and reports a book item that changed as its customer's profile, read again", async () => {
    const withBook = { changes: [claimWrite(), { ...second(), book: [dealPut('D1', 2), dealPut('D2', 5)] }], counters: batch().counters };
    ddb.on(TransactWriteCommand).resolves({});
    await repository().commitBatch(withBook);
    expect(sentItems().slice(7).map((i) => i.Put!.Item!.SK)).toEqual(['DEAL#D1', 'DEAL#D2']);

    ddb.reset();
    // Profiles, counter, four records, then the second customer's two deals: D2 was edited meanwhile.
    ddb.on(TransactWriteCommand).rejects(cancelled([...Array.from({ length: 8 }, () => ({ Code: 'None' })), { Code: 'ConditionalCheckFailed' }]));
    ddb.on(GetCommand, { Key: { PK: 'T#acme#C#C2', SK: 'PROFILE' } }).resolves({ Item: { id: 'C2', ownerId: null, poolId: 'P1', version: 3 } });
    const raced = await repository().commitBatch(withBook);
    expect(raced.ok === false && raced.refused === 'profile' && [...raced.profiles]).toEqual([[1, expect.objectContaining({ id: 'C2', ownerId: null })]]);
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('refuses an empty batch and one larger than a transaction holds', async () => {
    await expect(repository().commitBatch({ changes: [], counters: [] })).rejects.toThrow(RangeError);
    await expect(repository().commitBatch({ changes: Array.from({ length: 31 }, claimWrite), counters: [] })).rejects.toThrow(RangeError);
  });
});

describe('OwnershipRepository.counts', () => {
  beforeEach(() => ddb.reset());

  it("reads the user's book and, given a day, that day's claims; missing items count 0", async () => {
    ddb.on(GetCommand, { Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' } }).resolves({ Item: { owned: 7, locked: 2 } });
    ddb.on(GetCommand, { Key: { PK: 'T#acme#USER#rep-1', SK: 'CLAIMS#2026-03-10' } }).resolves({});

    expect(await repository().counts('acme', 'rep-1', '2026-03-10')).toEqual({ owned: 7, locked: 2, claimedToday: 0 });
    expect(await repository().counts('acme', 'rep-1')).toEqual({ owned: 7, locked: 2, claimedToday: 0 });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(3);
  });
});
