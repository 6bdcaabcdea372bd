import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutomationLimitReached, AutomationNotFound, MAX_AUTOMATIONS, newAutomation } from '../../../shared/automations/automation';
import { AutomationRepository } from '../../../shared/automations/automation-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = () => new AutomationRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const cancelled = (codes: string[]) => new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const pattern = { 'detail-type': ['crm.customer.stage-changed.v1'], detail: { data: { version: [3.5e2] } } };
const automation = newAutomation({ name: 'A', eventPattern: pattern, templateId: 'TPL1', topic: 'marketing' }, { userId: 'm-1', tenantId: 't1', groups: ['marketer'] }, 'A1', '2027-01-01T00:00:00.000Z');

beforeEach(() => ddb.reset());

describe('AutomationRepository', () => {
  it('creates the automation with the counter in one transaction, capped at the limit, the pattern stored as its JSON text', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().create(automation);
    const [put, counter] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(PK)', Item: { PK: 'T#t1#AUTOMATIONS', SK: 'AUTO#A1', eventPattern: JSON.stringify(pattern) } });
    expect(counter!.Update).toMatchObject({ Key: { PK: 'T#t1#AUTOMATIONS', SK: '$COUNT' }, ExpressionAttributeValues: expect.objectContaining({ ':max': MAX_AUTOMATIONS }) });

    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    await expect(repo().create(automation)).rejects.toBeInstanceOf(AutomationLimitReached);
  });

  it('deletes with the counter, 404 when there is nothing to delete', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    await expect(repo().delete('t1', 'A1')).rejects.toBeInstanceOf(AutomationNotFound);
  });

  it('lists the enabled automations for the dispatcher with their patterns parsed', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [
        { id: 'A1', eventPattern: JSON.stringify(pattern), templateId: 'TPL1', topic: 'marketing', delay: 60, version: 2 },
        { id: 'A2', eventPattern: JSON.stringify(pattern), templateId: 'TPL1', topic: 'marketing', delay: 0, offer: 'spring-sale', version: 1 },
      ],
    });
    expect(await repo().listEnabled('t1')).toEqual([
      // Saved before automations could make offers: none.
      // Saved before automations had an audience: they mail the event's subject.
      { id: 'A1', eventPattern: pattern, templateId: 'TPL1', topic: 'marketing', delay: 60, offer: null, audience: 'subject', version: 2 },
      { id: 'A2', eventPattern: pattern, templateId: 'TPL1', topic: 'marketing', delay: 0, offer: 'spring-sale', audience: 'subject', version: 1 },
    ]);
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ FilterExpression: '#enabled = :true', ExpressionAttributeValues: expect.objectContaining({ ':pk': 'T#t1#AUTOMATIONS', ':prefix': 'AUTO#', ':true': true }) });
  });
});
