import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { isRetryable } from '../../../shared/allocation/reclaim-errors';
import { ReclaimRepository } from '../../../shared/allocation/reclaim-repository';
import { bookCounter } from '../../../shared/allocation/user-counters';
import { createCustomerInput, newCustomer } from '../../../shared/customers/customer';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new ReclaimRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const AT = '2026-03-01T09:00:00.000Z';
const before = newCustomer(createCustomerInput.parse({ name: 'Acme Tools' }), { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, 'C1', AT);

describe('ReclaimRepository', () => {
  beforeEach(() => ddb.reset());

  it('Queries one shard of GSI2 for entries due now, keys and digest fields only', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ GSI2SK: `${AT}#acme#C1`, ownerId: 'rep-1', name: 'Acme Tools' }], LastEvaluatedKey: { k: 1 } });

    const page = await repository().findDue(3, '2026-04-01T00:00:00.000Z', 50);

    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: 'GSI2',
      KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
      ExpressionAttributeValues: { ':pk': 'RECLAIM#3', ':upTo': '2026-04-01T00:00:00.000Z~' },
      Limit: 50,
    });
    expect(page).toEqual({ entries: [{ checkAt: AT, tenantId: 'acme', customerId: 'C1', ownerId: 'rep-1', name: 'Acme Tools' }], next: { k: 1 } });
  });

  it('writes bookkeeping as one UpdateItem conditional on the profile as read, with fresh GSI2 keys', async () => {
    ddb.on(UpdateCommand).resolves({});

    const result = await repository().write({ before, after: { ...before, reclaimCheckAt: '2026-03-28T09:00:00.000Z' }, fields: ['reclaimCheckAt'] });

    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(result).toBe('written');
    expect(input.ConditionExpression).toContain('attribute_exists(PK)');
    const names = input.ExpressionAttributeNames!;
    const values = input.ExpressionAttributeValues!;
    const conditioned = Object.fromEntries(Object.entries(names).filter(([k]) => k.startsWith('#r')).map(([k, v]) => [v, values[`:${k.slice(1)}`] ?? null]));
    expect(conditioned).toEqual({ version: 1, ownerId: 'rep-1', assignedAt: AT, lastFollowUpAt: null, reclaimCheckAt: AT });
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#r3) OR #r3 = :liveNull)');
    expect(Object.values(values)).toContain(`2026-03-28T09:00:00.000Z#acme#C1`);
  });

  it('commits a reclaim with the counters, history and event in one transaction; a failed profile condition is a race', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }] }),
    );

    const result = await repository().write({
      before,
      after: { ...before, ownerId: null, poolId: 'P1', reclaimCheckAt: null, version: 2 },
      fields: ['ownerId', 'poolId', 'reclaimCheckAt', 'version'],
      counters: [bookCounter('acme', 'rep-1', { owned: -1 })],
      history: { id: 'H1', customerId: 'C1', from: 'rep-1', to: null, poolId: 'P1', reason: 'reclaimed', note: null, actor: { type: 'system', id: 'reclaim' }, at: AT },
      events: [{ detailType: 'crm.customer.reclaimed.v1', detail: { id: 'E1' } }],
    });

    expect(result).toBe('race');
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Update!.UpdateExpression).toContain('REMOVE GSI2PK, GSI2SK');
    expect(items[1]!.Update).toMatchObject({ Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' }, ExpressionAttributeValues: { ':owned': -1 } });
    expect(items[2]!.Put!.Item).toMatchObject({ SK: `OWNER#${AT}#H1`, reason: 'reclaimed' });
    expect(items[3]!.Put!.Item).toMatchObject({ SK: '$EVT#E1', detailType: 'crm.customer.reclaimed.v1' });
  });

  it('hands the sweep DynamoDB\'s own cancellation when a condition other than the profile\'s fails, for it to classify', async () => {
    const cancelled = new TransactionCanceledException({ message: 'x', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'ThrottlingError' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled);

    const write = repository().write({ before, after: { ...before, ownerId: null, version: 2 }, fields: ['ownerId', 'version'], counters: [bookCounter('acme', 'rep-1', { owned: -1 })], events: [{ detailType: 'crm.customer.reclaimed.v1', detail: { id: 'E1' } }] });

    await expect(write).rejects.toBe(cancelled);
    expect(isRetryable(cancelled)).toBe(true);
  });
});
