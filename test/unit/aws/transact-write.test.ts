import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isTransactionConflict, MAX_TRANSACTION_ITEMS, type NamedItem, named, TransactionConditionFailed, transactWrite } from '../../../shared/aws/transact-write';

const ddb = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, ...(r.Item ? { Item: marshall(r.Item) as never } : {}) })),
  });

const profile: NamedItem = {
  name: 'profile',
  update: { TableName: 't', Key: { PK: 'C#1', SK: 'PROFILE' }, UpdateExpression: 'SET #n = :n', ConditionExpression: 'version = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': 'Ada', ':v': 3 } },
  returnCurrent: true,
};
const emailGuard: NamedItem = { name: 'emailGuard', conditionCheck: { TableName: 't', Key: { PK: 'UQ#a@b.c', SK: 'UQ' }, ConditionExpression: 'attribute_not_exists(PK)' } };
const event: NamedItem = { name: 'event', put: { TableName: 't', Item: { PK: 'C#1', SK: '$EVT#1' } } };
const release: NamedItem = { name: 'release', delete: { TableName: 't', Key: { PK: 'UQ#old', SK: 'UQ' }, ConditionExpression: 'customerId = :id', ExpressionAttributeValues: { ':id': '1' } } };

async function failureOf(promise: Promise<unknown>): Promise<TransactionConditionFailed> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TransactionConditionFailed);
  return error as TransactionConditionFailed;
}

describe('transactWrite', () => {
  beforeEach(() => ddb.reset());
  afterEach(() => vi.useRealTimers());

  it('sends one TransactWriteItems with the items in their order, ALL_OLD only where asked', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await transactWrite(db, [profile, emailGuard, event, release]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input).toStrictEqual({
      TransactItems: [
        { Update: { ...profile.update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { ConditionCheck: emailGuard.conditionCheck },
        { Put: event.put },
        { Delete: release.delete },
      ],
    });
  });

  it('takes items in the document client shape through named()', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const put = { Put: { TableName: 't', Item: { PK: 'a', SK: 'b' }, ConditionExpression: 'attribute_not_exists(PK)' } };
    await transactWrite(db, [named('a', put, { returnCurrent: true }), named('b', { Delete: release.delete! })]);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toStrictEqual([
      { Put: { ...put.Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      { Delete: release.delete },
    ]);
    expect(() => named('empty', {})).toThrow(/empty/);
  });

  it('refuses more than 100 items, and two items of one name, before sending anything', async () => {
    const items = (n: number) => Array.from({ length: n }, (_, i): NamedItem => ({ name: `event-${i}`, put: { TableName: 't', Item: { PK: 'p', SK: `${i}` } } }));
    await expect(transactWrite(db, items(MAX_TRANSACTION_ITEMS + 1))).rejects.toThrow('A transaction holds at most 100 items; this one has 101');
    await expect(transactWrite(db, [event, { ...event }])).rejects.toThrow("Two transaction items are named 'event'");
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    ddb.on(TransactWriteCommand).resolves({});
    await transactWrite(db, items(MAX_TRANSACTION_ITEMS));
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems).toHaveLength(100);
  });

  it('retries a TransactionConflict cancellation, with the same items, until it goes through', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'TransactionConflict' }]))
      .rejectsOnce(cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }]))
      .resolves({});
    await transactWrite(db, [profile, event]);
    const calls = ddb.commandCalls(TransactWriteCommand);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.args[0].input).toStrictEqual(calls[0]!.args[0].input);
  });

  it('gives up after 8 attempts (or as many as asked) and rethrows the conflict as DynamoDB sent it', async () => {
    vi.useFakeTimers();
    const conflict = cancelled([{ Code: 'TransactionConflict' }]);
    ddb.on(TransactWriteCommand).rejects(conflict);
    const outcome = transactWrite(db, [profile]).then(() => undefined, (e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = await outcome;
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect(isTransactionConflict(error)).toBe(true);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(8);

    ddb.resetHistory();
    const bounded = transactWrite(db, [profile], { conflictAttempts: 2 }).then(() => undefined, (e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await bounded).toBeInstanceOf(TransactionCanceledException);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('names the items whose condition failed, with their current item unmarshalled where asked', async () => {
    ddb.on(TransactWriteCommand).rejects(
      cancelled([{ Code: 'ConditionalCheckFailed', Item: { PK: 'C#1', SK: 'PROFILE', version: 4, tags: ['a'] } }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]),
    );
    const failure = await failureOf(transactWrite(db, [profile, emailGuard, event, release]));
    expect(failure.failed('profile')).toBe(true);
    expect(failure.current('profile')).toEqual({ PK: 'C#1', SK: 'PROFILE', version: 4, tags: ['a'] });
    expect(failure.failed('emailGuard')).toBe(true);
    expect(failure.current('emailGuard')).toBeUndefined();
    expect(failure.failed('event')).toBe(false);
    expect(failure.failed('release')).toBe(false);
    expect(failure.failures.map((f) => f.name)).toEqual(['profile', 'emailGuard']);
    expect(failure.message).toBe("Transaction cancelled: the condition of 'profile', 'emailGuard' failed");
    expect(failure.cause).toBeInstanceOf(TransactionCanceledException);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
    expect(() => failure.failed('profil')).toThrow("The transaction held no item named 'profil'");
  });

  it('reports a condition that still fails once the conflicts are retried away', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'TransactionConflict' }]))
      .rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    const failure = await failureOf(transactWrite(db, [profile, emailGuard]));
    expect(failure.failures).toEqual([{ name: 'emailGuard' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('lets every other error through unchanged, without retrying', async () => {
    const validation = cancelled([{ Code: 'None' }, { Code: 'ValidationError' }]);
    ddb.on(TransactWriteCommand).rejects(validation);
    await expect(transactWrite(db, [profile, event])).rejects.toBe(validation);
    const network = new Error('network down');
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(network);
    await expect(transactWrite(db, [profile, event])).rejects.toBe(network);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
