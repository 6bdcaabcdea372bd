import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomerInput, newCustomer } from '../../../shared/customers/customer';
import { CustomerRepository } from '../../../shared/customers/customer-repository';
import { CustomerNotFound, DuplicateCustomer, StaleVersion } from '../../../shared/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new CustomerRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const customer = newCustomer(
  createCustomerInput.parse({ kind: 'company', name: 'Ada', emails: ['Ada@Example.com'], phones: ['+49 30 123456'], website: 'https://ada.example' }),
  { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] },
  'C1',
  '2026-11-22T10:00:00.000Z',
);
const events = [{ detailType: 'crm.customer.created.v1', detail: { id: 'E1' } }];

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })),
  });

const sentItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;

describe('CustomerRepository.create', () => {
  beforeEach(() => ddb.reset());

  it('writes profile, a guard per email/phone/domain and the outbox event in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().create(customer, events);

    expect(sentItems().map((i) => [i.Put?.Item?.PK, i.Put?.Item?.SK, i.Put?.ConditionExpression])).toEqual([
      ['T#acme#C#C1', 'PROFILE', 'attribute_not_exists(PK)'],
      ['T#acme#UQ#EMAIL#ada@example.com', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#UQ#PHONE#+4930123456', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#UQ#DOMAIN#ada.example', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#C#C1', '$EVT#E1', undefined],
      [undefined, undefined, undefined],
      ['T#acme#C#C1', expect.stringMatching(/^OWNER#2026-11-22T10:00:00.000Z#/), undefined],
    ]);
    // The rep who creates it owns it: their book counter counts it (no cap), and the history starts.
    expect(sentItems()[5]!.Update).toMatchObject({
      Key: { PK: 'T#acme#USER#rep-1', SK: 'BOOK' },
      UpdateExpression: 'SET #entity = :entity ADD #owned :owned',
      ExpressionAttributeValues: { ':entity': 'UserBookCounters', ':owned': 1 },
    });
    expect(sentItems()[5]!.Update!.ConditionExpression).toBeUndefined();
    expect(sentItems()[6]!.Put!.Item).toMatchObject({ entity: 'OwnershipChange', from: null, to: 'rep-1', reason: 'created', actor: { type: 'user', id: 'rep-1' } });
    const recent = '2026-11-22T10:00:00.000Z#C1';
    expect(sentItems()[0]!.Put!.Item).toMatchObject({
      GSI1PK: 'T#acme#OWNER#rep-1', GSI1SK: recent,
      GSI3PK: 'T#acme#NAME#a', GSI3SK: 'ada#C1',
      GSI4PK: 'T#acme#CUSTOMERS', GSI4SK: recent,
      GSI5PK: 'T#acme#STAGE#lead', GSI5SK: recent,
      version: 1,
    });
  });

  it('writes no book counter or history for a customer created without an owner', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const unowned = newCustomer(createCustomerInput.parse({ name: 'Bo' }), { userId: 'mgr-1', tenantId: 'acme', groups: ['manager'] }, 'C2', '2026-11-22T10:00:00.000Z');

    await repository().create(unowned, events);

    expect(sentItems().map((i) => i.Put?.Item?.SK)).toEqual(['PROFILE', '$EVT#E1']);
  });

  it('turns a taken phone into DuplicateCustomer naming the value, the existing customer and its owner', async () => {
    ddb.on(TransactWriteCommand).rejects(
      cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { customerId: 'OLD' } }, { Code: 'None' }, { Code: 'None' }]),
    );
    ddb.on(GetCommand).resolves({ Item: { id: 'OLD', ownerId: 'rep-9' } });

    const error = await repository().create(customer, events).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DuplicateCustomer);
    expect((error as DuplicateCustomer).extensions).toEqual({ field: 'phone', value: '+4930123456', existingCustomerId: 'OLD', existingOwnerId: 'rep-9' });
  });

  it('retries a transaction conflict and succeeds', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'TransactionConflict' }])).resolves({});

    await repository().create(customer, events);

    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('does not disguise other failures', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(repository().create(customer, events)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});

describe('CustomerRepository.update', () => {
  beforeEach(() => ddb.reset());
  const after = { ...customer, emails: ['new@example.com'], phones: customer.phones, version: 2 };

  it('conditions the profile on the version read, claims added values and releases dropped ones', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().update(customer, after, events);

    const items = sentItems();
    expect(items[0]!.Update).toMatchObject({
      Key: { PK: 'T#acme#C#C1', SK: 'PROFILE' },
      ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
      ExpressionAttributeValues: { ':expected': 1 },
    });
    const update = items[0]!.Update!;
    const written = Object.fromEntries(
      Object.entries(update.ExpressionAttributeNames!).filter(([k]) => k.startsWith('#f')).map(([k, name]) => [name, update.ExpressionAttributeValues![`:v${k.slice(2)}`]]),
    );
    expect(written).toMatchObject({ emails: ['new@example.com'], version: 2 });
    expect(Object.keys(written)).not.toContain('lastFollowUpAt');
    expect(Object.keys(written)).not.toContain('ownerId');
    expect(items[1]!.Put).toMatchObject({ Item: { PK: 'T#acme#UQ#EMAIL#new@example.com', customerId: 'C1' }, ConditionExpression: 'attribute_not_exists(PK)' });
    expect(items[2]!.Delete).toMatchObject({ Key: { PK: 'T#acme#UQ#EMAIL#ada@example.com', SK: 'UQ' }, ConditionExpression: 'customerId = :id' });
    expect(items[3]!.Put?.Item?.SK).toBe('$EVT#E1');
    expect(items).toHaveLength(4);
  });

  it('reports a profile that moved on as StaleVersion with its current version', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { version: 3 } }]));

    const error = await repository().update(customer, after, events).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StaleVersion);
    expect((error as StaleVersion).extensions).toMatchObject({ currentVersion: 3 });
  });

  it('reports a profile that is gone as CustomerNotFound', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }]));

    await expect(repository().update(customer, after, events)).rejects.toBeInstanceOf(CustomerNotFound);
  });
});
