import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomerInput, newCustomer } from '../../../shared/customers/customer';
import { guardPlan, mergeEntries, mergeProfiles } from '../../../shared/customers/customer-merge';
import { CustomerMergeRepository, type MergeCommit } from '../../../shared/customers/customer-merge-repository';
import { INDEX_KEY_ATTRIBUTES } from '../../../shared/keys';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new CustomerMergeRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const rep = { userId: 'rep-1', tenantId: 'acme', groups: ['rep' as const] };
const NOW = '2026-11-23T10:00:00.000Z';
const make = (id: string, body: Record<string, unknown>) => newCustomer(createCustomerInput.parse({ name: id, ...body }), rep, id, '2026-11-20T10:00:00.000Z');

function plan(): MergeCommit {
  const survivor = { ...make('A', { kind: 'company', emails: ['a@x.io'], domain: 'a.example' }), version: 3 };
  const source = make('B', { kind: 'company', emails: ['b@x.io'], domain: 'b.example' });
  const { merged } = mergeProfiles(survivor, source, rep, NOW);
  return {
    survivor,
    source,
    merged,
    guards: guardPlan(source, merged),
    entries: mergeEntries(survivor, source, rep, { survivor: 'E1', source: 'E2' }, NOW),
    event: { detailType: 'crm.customer.merged.v1', detail: { id: 'EV1' } },
  };
}

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('CustomerMergeRepository.commit (step 1)', () => {
  beforeEach(() => ddb.reset());

  it('writes tombstone, survivor, guards, both merge entries and the event in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().commit(plan())).toBe('committed');

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    const [tombstone, survivor, emailGuard, domainGuard, survivorEntry, sourceEntry, outbox, sourceOwnersBook] = items;
    expect(items).toHaveLength(8);
    expect(tombstone!.Update).toMatchObject({ Key: { PK: 'T#acme#C#B', SK: 'PROFILE' }, ExpressionAttributeValues: { ':survivor': 'A', ':expected': 1, ':next': 2 } });
    expect(tombstone!.Update!.UpdateExpression).toContain(`REMOVE ${INDEX_KEY_ATTRIBUTES.join(', ')}`);
    expect(tombstone!.Update!.ConditionExpression).toContain('#version = :expected');
    expect(tombstone!.Update!.ConditionExpression).toContain('attribute_not_exists(mergedInto) OR mergedInto = :null');
    expect(survivor!.Update).toMatchObject({ Key: { PK: 'T#acme#C#A', SK: 'PROFILE' } });
    expect(survivor!.Update!.ExpressionAttributeValues).toMatchObject({ ':expected': 3 });
    expect(Object.values(survivor!.Update!.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining([['a@x.io', 'b@x.io'], 4, 'T#acme#CUSTOMERS', 'T#acme#OWNER#rep-1']),
    );
    expect(emailGuard!.Update).toMatchObject({
      Key: { PK: 'T#acme#UQ#EMAIL#b@x.io', SK: 'UQ' },
      UpdateExpression: 'SET customerId = :survivor',
      ConditionExpression: 'customerId = :source',
      ExpressionAttributeValues: { ':survivor': 'A', ':source': 'B' },
    });
    expect(domainGuard!.Delete).toMatchObject({ Key: { PK: 'T#acme#UQ#DOMAIN#b.example', SK: 'UQ' }, ConditionExpression: 'customerId = :source' });
    expect(survivorEntry!.Put!.Item).toMatchObject({ PK: 'T#acme#C#A', SK: `ACT#${NOW}#E1`, type: 'merge' });
    expect(sourceEntry!.Put!.Item).toMatchObject({ PK: 'T#acme#C#B', SK: `ACT#${NOW}#E2`, type: 'merge' });
    expect(outbox!.Put!.Item).toMatchObject({ PK: 'T#acme#C#A', SK: '$EVT#EV1', detailType: 'crm.customer.merged.v1' });
    // The survivor keeps its owner: the source's owner has one customer less.
    expect(sourceOwnersBook!.Update).toMatchObject({ Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' }, ExpressionAttributeValues: { ':owned': -1 } });
  });

  it("records the owner an unowned survivor takes from the source, whose counters then stay", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const base = plan();
    const survivor = { ...base.survivor, ownerId: null, teamId: null, poolId: 'P1', homePoolId: 'P1' };
    const source = { ...base.source, locked: true };
    const { merged } = mergeProfiles(survivor, source, rep, NOW);

    await repository().commit({ ...base, survivor, source, merged });

    expect(merged).toMatchObject({ ownerId: 'rep-1', poolId: null, homePoolId: 'P1', locked: true, reclaimCheckAt: NOW });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.filter((i) => i.Update?.Key?.SK === 'BOOK')).toEqual([]);
    expect(items.at(-1)!.Put!.Item).toMatchObject({ PK: 'T#acme#C#A', SK: expect.stringMatching(/^OWNER#/), reason: 'merged', from: null, to: 'rep-1', poolId: 'P1' });
  });

  it('answers conflict when a condition fails, after retrying transaction conflicts', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['TransactionConflict'])).rejects(cancelled(['ConditionalCheckFailed', 'None']));

    expect(await repository().commit(plan())).toBe('conflict');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('does not disguise other failures', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(repository().commit(plan())).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});

describe('CustomerMergeRepository.moveRecords (step 2)', () => {
  beforeEach(() => ddb.reset());

  const record = (i: number) => ({ PK: 'T#acme#C#B', SK: `ACT#2026-11-2${i % 10}#${String(i).padStart(4, '0')}`, customerId: 'B', type: 'call' });

  it('moves records in Put+Delete pairs of at most 100 items per transaction, page by page, skipping the profile', async () => {
    const firstPage = [...Array.from({ length: 49 }, (_, i) => record(i)), { PK: 'T#acme#C#B', SK: 'CONTACT#1', customerId: 'B', version: 2 }];
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: firstPage, LastEvaluatedKey: { PK: 'T#acme#C#B', SK: 'CONTACT#1' } })
      .resolvesOnce({ Items: [{ PK: 'T#acme#C#B', SK: 'PROFILE', mergedInto: 'A' }] });
    ddb.on(TransactWriteCommand).resolves({});

    expect(await repository().moveRecords('acme', 'B', 'A')).toBe(50);

    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries[0]).toMatchObject({ KeyConditionExpression: 'PK = :pk AND SK >= :first', ExpressionAttributeValues: { ':pk': 'T#acme#C#B', ':first': 'A' }, Limit: 50 });
    expect(queries[1]!.ExclusiveStartKey).toEqual({ PK: 'T#acme#C#B', SK: 'CONTACT#1' });
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    const items = writes[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(100);
    expect(items[0]!.Put).toMatchObject({ Item: { PK: 'T#acme#C#A', SK: record(0).SK, customerId: 'A' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(items[1]!.Delete).toMatchObject({ Key: { PK: 'T#acme#C#B', SK: record(0).SK }, ConditionExpression: 'attribute_exists(PK)' });
    expect(items[99]!.Delete).toMatchObject({ ConditionExpression: 'attribute_exists(PK) AND #version = :version', ExpressionAttributeValues: { ':version': 2 } });
  });

  it('starts over from the beginning when another request moved or changed a record meanwhile', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [record(1), record(2)] })
      .resolvesOnce({ Items: [record(2)] });
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed'])).resolves({});

    expect(await repository().moveRecords('acme', 'B', 'A')).toBe(1);
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toBeUndefined();
  });
});
