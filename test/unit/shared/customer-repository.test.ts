import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { newCustomer } from '../../../shared/customers/customer';
import { CustomerRepository } from '../../../shared/customers/customer-repository';
import { DuplicateCustomer } from '../../../shared/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const repository = () => new CustomerRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const customer = newCustomer({ name: 'Ada', email: 'Ada@Example.com' }, { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] }, 'C1', '2026-11-22T10:00:00.000Z');
const event = { detailType: 'crm.customer.created.v1', detail: { id: 'E1' } };

const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })),
  });

describe('CustomerRepository.create', () => {
  beforeEach(() => ddb.reset());

  it('writes profile, email guard and outbox event in one conditional transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});

    await repository().create(customer, event);

    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => [i.Put?.Item?.PK, i.Put?.Item?.SK, i.Put?.ConditionExpression])).toEqual([
      ['T#acme#C#C1', 'PROFILE', 'attribute_not_exists(PK)'],
      ['T#acme#UQ#EMAIL#ada@example.com', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#C#C1', 'EVT#E1', undefined],
    ]);
    expect(items[0]!.Put!.Item).toMatchObject({ GSI1PK: 'T#acme#OWNER#rep-1', GSI1SK: 'C#C1', version: 1 });
    expect(items[1]!.Put!.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('turns a taken email into DuplicateCustomer naming the existing customer and owner', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { customerId: 'OLD' } }, { Code: 'None' }]));
    ddb.on(GetCommand).resolves({ Item: { id: 'OLD', ownerId: 'rep-9' } });

    const error = await repository().create(customer, event).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DuplicateCustomer);
    expect((error as DuplicateCustomer).extensions).toEqual({ field: 'email', existingCustomerId: 'OLD', existingOwnerId: 'rep-9' });
  });

  it('retries a transaction conflict and succeeds', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }])).resolves({});

    await repository().create(customer, event);

    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('does not disguise other failures', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));

    await expect(repository().create(customer, event)).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
