import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { newForm } from '../../../shared/forms/form';
import { FormRepository } from '../../../shared/forms/form-repository';
import { newLead } from '../../../shared/leads/lead';
import { LeadChanged, LeadRepository, LoadChanged } from '../../../shared/leads/lead-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const client = () => DynamoDBDocumentClient.from(new DynamoDBClient({}));
const leads = () => new LeadRepository(client(), 'crm-table');
const NOW = '2026-11-23T12:00:00.000Z';
const lead = newLead({ email: 'ada@acme.example', phone: '+4930123456' }, { id: 'L1', tenantId: 'acme', channel: 'form', formId: 'F1', actorId: 'form:F1', nowIso: NOW, defaultSource: 'web' });
const cancelled = (reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? (marshall(r.Item) as never) : undefined })) });

beforeEach(() => ddb.reset());

describe('LeadRepository', () => {
  it('creates guards, profile, signals and events in one transaction, each guard conditional', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await leads().create(lead, [{ id: 'S1', type: 'form-submitted', occurredAt: NOW, url: null }], [{ detailType: 'crm.lead.created.v1', detail: { id: 'E1' } }]);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items.map((i) => [i.Put?.Item?.PK, i.Put?.Item?.SK, i.Put?.ConditionExpression])).toEqual([
      ['T#acme#LUQ#EMAIL#ada@acme.example', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#LUQ#PHONE#+4930123456', 'UQ', 'attribute_not_exists(PK)'],
      ['T#acme#L#L1', 'PROFILE', 'attribute_not_exists(PK)'],
      ['T#acme#L#L1', `SIG#${NOW}#S1`, undefined],
      ['T#acme#L#L1', '$EVT#E1', undefined],
    ]);
    expect(items[2]!.Put!.Item).toMatchObject({ GSI5PK: 'T#acme#LEADSTATUS#new', GSI5SK: `${NOW}#L1` });
  });

  it('names the lead that already holds a guard', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { PK: 'x', SK: 'UQ', leadId: 'L0' } }, { Code: 'None' }]));
    expect(await leads().create(lead, [], [])).toEqual({ created: false, existingLeadId: 'L0' });
  });

  it('saves only over the version it read', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }]));
    await expect(leads().save({ ...lead, version: 2 }, 1, [], [])).rejects.toBeInstanceOf(LeadChanged);
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put).toMatchObject({ ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 1 } });
  });

  it('moves the rep\'s open-lead count in the assignment, conditional on the count read', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await leads().save({ ...lead, ownerId: 'rep-1', version: 2 }, 1, [], [], { userId: 'rep-1', delta: 1, expectOpen: 4 });
    expect(ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![1]!.Update).toMatchObject({
      Key: { PK: 'T#acme#USER#rep-1', SK: 'LEADS' },
      UpdateExpression: 'SET entity = :entity, userId = :user ADD #open :delta',
      ConditionExpression: '#open = :seen',
      ExpressionAttributeValues: { ':delta': 1, ':seen': 4 },
    });
  });

  it('tells a moved count apart from a changed lead', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    await expect(leads().save({ ...lead, version: 2 }, 1, [], [], { userId: 'rep-1', delta: 1, expectOpen: 0 })).rejects.toBeInstanceOf(LoadChanged);
  });

  it('draws a round-robin ticket with one atomic ADD', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ticket: 7 } });
    expect(await leads().nextTicket('acme', 'emea')).toBe(7);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({ Key: { PK: 'T#acme#LEADCONFIG', SK: 'CURSOR#emea' }, UpdateExpression: 'SET entity = :entity ADD ticket :one', ReturnValues: 'UPDATED_NEW' });
  });

  it('reads guards and settings in one BatchGetItem and picks the strongest match', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: { 'crm-table': [{ PK: 'T#acme#UQ#DOMAIN#acme.example', SK: 'UQ', customerId: 'C2' }, { PK: 'T#acme#UQ#PHONE#+4930123456', SK: 'UQ', customerId: 'C1' }, { PK: 'T#acme#LEADCONFIG', SK: 'SCORING', config: { fit: [] } }] },
    });
    const result = await leads().lookup('acme', [{ field: 'email', value: 'ada@acme.example' }, { field: 'phone', value: '+4930123456' }, { field: 'domain', value: 'acme.example' }]);
    expect(result).toEqual({ match: { customerId: 'C1', matchedOn: 'phone' }, scoring: { fit: [] }, routing: undefined });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
  });
});

describe('FormRepository.takeRateSlot', () => {
  const form = newForm({ name: 'Contact', rateLimitPerMinute: 5 }, { id: 'F1', tenantId: 'acme', secret: 's'.repeat(32), userId: 'u', nowIso: NOW });

  it('counts the submission conditionally on the limit, with a TTL', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await new FormRepository(client(), 'crm-table').takeRateSlot(form, '203.0.113.9', '2026-11-23T12:00', 1_800_000_300)).toBe(true);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { PK: 'T#acme#FORMRATE#F1#203.0.113.9', SK: 'W#2026-11-23T12:00' },
      ConditionExpression: 'attribute_not_exists(submissions) OR submissions < :limit',
      ExpressionAttributeValues: { ':limit': 5, ':ttl': 1_800_000_300 },
    });
  });

  it('refuses over the limit', async () => {
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await new FormRepository(client(), 'crm-table').takeRateSlot(form, '203.0.113.9', '2026-11-23T12:00', 1)).toBe(false);
  });
});
