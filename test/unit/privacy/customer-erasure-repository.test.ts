import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import { CustomerEraser, eraseCustomer } from '../../../shared/privacy/customer-erasure-repository';
import { erasedProfile } from '../../../shared/privacy/customer-erasure';
import { uniqueValues } from '../../../shared/customers/contact-points';
import { Conflict } from '../../../shared/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const eraser = () => new CustomerEraser(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const admin = { userId: 'admin-1', tenantId: 'acme', groups: ['admin' as const] };
const NOW = '2026-11-22T10:00:00.000Z';
const customer: Customer = newCustomer(
  createCustomerInput.parse({ kind: 'company', name: 'Ada', emails: ['ada@example.com'], phones: ['+49 30 123456'], domain: 'ada.example' }),
  { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] },
  'C1',
  NOW,
);
const event = { detailType: 'crm.customer.erased.v1', detail: { id: 'E1' } };
const tombstone = erasedProfile(customer, admin, NOW);

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })),
  });

const transactions = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);

describe('CustomerEraser.tombstone (step 1)', () => {
  beforeEach(() => ddb.reset());

  it('replaces the profile if still at the version read, deletes the guards it holds and commits the event, in one transaction; then its search entries', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    expect(await eraser().tombstone(customer, tombstone, uniqueValues(customer), event)).toBe('erased');

    const [items] = transactions();
    expect(items![0]!.Put).toMatchObject({ Item: tombstone, ConditionExpression: 'attribute_exists(PK) AND #version = :read', ExpressionAttributeValues: { ':read': 1 } });
    expect(items!.slice(1, 4).map((i) => [i.Delete?.Key?.PK, i.Delete?.ConditionExpression, i.Delete?.ExpressionAttributeValues])).toEqual([
      ['T#acme#UQ#EMAIL#ada@example.com', 'attribute_not_exists(customerId) OR customerId = :id', { ':id': 'C1' }],
      ['T#acme#UQ#PHONE#+4930123456', 'attribute_not_exists(customerId) OR customerId = :id', { ':id': 'C1' }],
      ['T#acme#UQ#DOMAIN#ada.example', 'attribute_not_exists(customerId) OR customerId = :id', { ':id': 'C1' }],
    ]);
    expect(items![4]!.Put!.Item).toMatchObject({ PK: 'T#acme#C#C1', SK: '$EVT#E1', detailType: 'crm.customer.erased.v1' });
    // The rep's customer leaves their book; a merged tombstone left it at the merge.
    expect(items![5]!.Update).toMatchObject({ Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' }, ExpressionAttributeValues: { ':owned': -1 } });
    expect(items).toHaveLength(6);
    // The name's words, the email and the phone leave the search index before the 204.
    const deleted = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems!['crm-table']!.map((r) => String(r.DeleteRequest!.Key!.PK)));
    expect(deleted.length).toBeGreaterThanOrEqual(3);
    expect(deleted.every((pk) => pk.startsWith('T#acme#SRCH#'))).toBe(true);
    await eraser().tombstone({ ...customer, mergedInto: 'C2' }, tombstone, [], event);
    expect(transactions()[1]!.map((i) => i.Update?.Key?.SK ?? i.Put?.Item?.SK)).toEqual(['PROFILE', '$EVT#E1']);
  });

  it("answers 'changed' when the profile moved on since it was read", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]));

    expect(await eraser().tombstone(customer, tombstone, uniqueValues(customer), event)).toBe('changed');
  });

  it("leaves a guard another customer holds and erases without it", async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]))
      .resolves({});
    ddb.on(BatchWriteCommand).resolves({});

    expect(await eraser().tombstone(customer, tombstone, uniqueValues(customer), event)).toBe('erased');

    expect(transactions()[1]!.map((i) => i.Delete?.Key?.PK).filter(Boolean)).toEqual(['T#acme#UQ#EMAIL#ada@example.com', 'T#acme#UQ#DOMAIN#ada.example']);
  });
});

describe('CustomerEraser.scrubPartition (step 2)', () => {
  beforeEach(() => ddb.reset());

  it('reads every page and writes at most 25 requests per batch, resending what was left unprocessed', async () => {
    const contacts = Array.from({ length: 30 }, (_, i) => ({ PK: 'T#acme#C#C1', SK: `CONTACT#${String(i).padStart(2, '0')}`, name: 'Grace' }));
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: contacts.slice(0, 20), LastEvaluatedKey: { PK: 'T#acme#C#C1', SK: 'CONTACT#19' } })
      .resolvesOnce({ Items: [...contacts.slice(20), tombstone] });
    const first = { DeleteRequest: { Key: { PK: 'T#acme#C#C1', SK: 'CONTACT#00' } } };
    ddb.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: { 'crm-table': [first] } }).resolves({});

    const result = await eraser().scrubPartition('acme', 'C1');

    expect(result).toEqual({ replaced: 0, deleted: 30, mergedSources: [] });
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => [q.ConsistentRead, q.ExclusiveStartKey])).toEqual([[true, undefined], [true, { PK: 'T#acme#C#C1', SK: 'CONTACT#19' }]]);
    const batches = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!['crm-table']!);
    expect(batches.map((b) => b.length)).toEqual([20, 1, 10]);
    expect(batches[1]).toEqual([first]);
  });

  it('writes nothing for a partition that is already scrubbed', async () => {
    ddb.on(QueryCommand).resolves({ Items: [tombstone, { PK: 'T#acme#C#C1', SK: '$EVT#E1', detailType: 'crm.customer.erased.v1' }] });

    expect(await eraser().scrubPartition('acme', 'C1')).toEqual({ replaced: 0, deleted: 0, mergedSources: [] });
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });
});

describe('eraseCustomer', () => {
  beforeEach(() => ddb.reset());

  const mergeEntry = (sourceId: string) => ({
    PK: 'T#acme#C#C1', SK: `ACT#${NOW}#M-${sourceId}`, type: 'merge', payload: { survivorId: 'C1', sourceId, role: 'survivor' },
  });

  it('erases the customers merged into it too, but never a live one a merge entry names', async () => {
    const source = { ...customer, id: 'C2', emails: [], phones: [], domain: null, mergedInto: 'C1' };
    const profiles: Record<string, Customer> = { 'T#acme#C#C1': customer, 'T#acme#C#C2': source, 'T#acme#C#C3': { ...customer, id: 'C3' } };
    ddb.on(GetCommand).callsFake((input: { Key: { PK: string } }) => ({ Item: { PK: input.Key.PK, SK: 'PROFILE', ...profiles[input.Key.PK] } }));
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: { ':pk': string } }) =>
      input.ExpressionAttributeValues[':pk'] === 'T#acme#C#C1' ? { Items: [mergeEntry('C2'), mergeEntry('C3')] } : { Items: [] },
    );
    ddb.on(BatchWriteCommand).resolves({});

    const result = await eraseCustomer(eraser(), admin, 'C1', 'req-1');

    expect(result.customers).toEqual(['C1', 'C2']);
    const tombstones = transactions().map((items) => items[0]!.Put!.Item!);
    expect(tombstones.map((t) => [t.id, t.mergedInto, t.erasedBy])).toEqual([['C1', undefined, 'admin-1'], ['C2', 'C1', 'admin-1']]);
  });

  it('re-reads when the profile changes under it, and gives up with 409 after three tries', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'T#acme#C#C1', SK: 'PROFILE', ...customer } });
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]));

    await expect(eraseCustomer(eraser(), admin, 'C1', 'req-1')).rejects.toBeInstanceOf(Conflict);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.ConsistentRead)).toEqual([true, true, true]);
  });

  it('only scrubs a customer that is already erased (no second tombstone, no second event)', async () => {
    ddb.on(GetCommand).resolves({ Item: tombstone });
    ddb.on(QueryCommand).resolves({ Items: [tombstone, { PK: 'T#acme#C#C1', SK: 'CONTACT#late', name: 'Grace' }] });
    ddb.on(BatchWriteCommand).resolves({});

    expect(await eraseCustomer(eraser(), admin, 'C1', 'req-1')).toEqual({ customers: ['C1'], replaced: 0, deleted: 1 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('claims the welcome email for the erased customer unless its consumer already did', async () => {
    ddb.on(GetCommand).resolves({ Item: tombstone });
    ddb.on(QueryCommand).resolves({ Items: [tombstone] });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    await eraseCustomer(eraser(), admin, 'C1', 'req-1');

    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'crm-table',
        Item: { PK: 'T#acme#C#C1', SK: '$DONE#welcome-email', entity: 'SideEffect', status: 'suppressed', claimedAt: expect.any(String) },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    ]);
  });
});
