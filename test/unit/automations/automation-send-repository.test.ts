import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../../shared/activities/activity';
import { AutomationSendRepository } from '../../../shared/automations/automation-send-repository';

const ddb = mockClient(DynamoDBDocumentClient);
const repo = () => new AutomationSendRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'crm-table');
const NOW = '2027-01-01T10:00:00.000Z';
const send = { tenantId: 't1', recipient: { kind: 'customer' as const, id: 'C1' }, automationId: 'A1', eventId: 'E1', eventType: 'crm.customer.stage-changed.v1', occurredAt: NOW };
const cancelled = (codes: string[]) => new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });
const transactions = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

beforeEach(() => ddb.reset());

describe('AutomationSendRepository', () => {
  it('records a delayed send once per automation and event, beside a live profile, pending on the marketing-due index until it is due', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo().schedule(send, '2027-01-01T11:00:00.000Z', NOW)).toEqual({ claimed: true, leasedSortKey: '2027-01-01T11:00:00.000Z#t1#automation-send#A1#E1' });
    const [check, put] = transactions()[0]!;
    expect(check!.ConditionCheck).toMatchObject({ Key: { PK: 'T#t1#C#C1', SK: 'PROFILE' } });
    expect(put!.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { PK: 'T#t1#C#C1', SK: '$MKT#AUTO#A1#E1', GSI2PK: 'MKTDUE', GSI2SK: '2027-01-01T11:00:00.000Z#t1#automation-send#A1#E1', status: 'pending', dueAttempts: 0, eventType: send.eventType },
    });
  });

  it('records a send about to go now as claimed, due again only when its lease ends', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repo().claimNow(send, NOW)).toEqual({ claimed: true, leasedSortKey: '2027-01-01T10:05:00.000Z#t1#automation-send#A1#E1' });
    expect(transactions()[0]![1]!.Put!.Item).toMatchObject({ status: 'sending', dueAttempts: 1 });
  });

  it('answers duplicate for a send already recorded (a redelivery), customer-gone for a tombstone', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['ConditionalCheckFailed', 'ConditionalCheckFailed'])).rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    expect(await repo().claimNow(send, NOW)).toEqual({ claimed: false, reason: 'duplicate' });
    expect(await repo().claimNow(send, NOW)).toEqual({ claimed: false, reason: 'customer-gone' });
  });

  it('finishes a send it holds: outcome recorded, off the index, with the timeline entry in the same transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const activity = { id: 'ACT1', customerId: 'C1', occurredAt: NOW } as Activity;
    expect(await repo().finish(send, 'leased-key', { outcome: 'sent', messageId: 'M1' }, NOW, activity)).toBe(true);
    const [update, check, put] = transactions()[0]!;
    expect(update!.Update).toMatchObject({ ConditionExpression: '#sk = :leased', ExpressionAttributeValues: expect.objectContaining({ ':leased': 'leased-key', ':outcome': 'sent', ':messageId': 'M1' }) });
    expect(update!.Update!.UpdateExpression).toContain('REMOVE #pk, #sk');
    expect(check!.ConditionCheck).toBeDefined();
    expect(put!.Put!.Item).toMatchObject({ PK: 'T#t1#C#C1', SK: `ACT#${NOW}#ACT1`, entity: 'Activity' });
  });

  it("counts the outcome on the automation's stats in the transaction that records it, and no outcome of a deleted automation", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repo().finish(send, 'leased-key', { outcome: 'sent', messageId: 'M1' }, NOW, { id: 'ACT1', customerId: 'C1', occurredAt: NOW } as Activity);
    await repo().finish(send, 'leased-key', { outcome: 'no-consent' }, NOW);
    await repo().finish(send, 'leased-key', { outcome: 'automation-gone' }, NOW);
    const [sent, skipped, gone] = transactions();
    expect(sent!.at(-1)!.Update).toMatchObject({ Key: { PK: 'T#t1#AUTO#A1', SK: 'STATS' }, UpdateExpression: 'SET #entity = :entity ADD #counter :one', ExpressionAttributeNames: { '#counter': 'sent' } });
    expect(skipped).toHaveLength(2);
    expect(skipped![1]!.Update!.ExpressionAttributeNames).toMatchObject({ '#counter': 'skipped:no-consent' });
    expect(gone).toHaveLength(1);
  });

  it('finishes without a timeline entry when the customer was erased meanwhile, and not at all when another run holds the send', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None'])).resolvesOnce({}).rejectsOnce(cancelled(['ConditionalCheckFailed']));
    expect(await repo().finish(send, 'leased-key', { outcome: 'sent', messageId: 'M1' }, NOW, { id: 'ACT1', customerId: 'C1', occurredAt: NOW } as Activity)).toBe(true);
    // Without the entry, still with the counter: the retry is the one write that commits.
    expect(transactions()[1]!.map((item) => item.Update?.Key?.SK)).toEqual(['$MKT#AUTO#A1#E1', 'STATS']);
    expect(await repo().finish(send, 'leased-key', { outcome: 'no-consent' }, NOW)).toBe(false);
  });

  it("records a lead's send in the lead's partition, beside a lead neither erased nor converted, and finishes it without a timeline entry", async () => {
    ddb.on(TransactWriteCommand).resolves({}).rejectsOnce(cancelled(['ConditionalCheckFailed', 'None']));
    const toLead = { ...send, recipient: { kind: 'lead' as const, id: 'L1' } };
    expect(await repo().claimNow(toLead, NOW)).toEqual({ claimed: false, reason: 'lead-gone' });
    expect(await repo().claimNow(toLead, NOW)).toMatchObject({ claimed: true });
    const [check, put] = transactions()[1]!;
    expect(check!.ConditionCheck).toMatchObject({ Key: { PK: 'T#t1#L#L1', SK: 'PROFILE' }, ExpressionAttributeValues: { ':converted': 'converted' } });
    expect(check!.ConditionCheck!.ConditionExpression).toContain('attribute_not_exists(erasedAt)');
    expect(put!.Put!.Item).toMatchObject({ PK: 'T#t1#L#L1', SK: '$MKT#AUTO#A1#E1', leadId: 'L1' });
    expect(put!.Put!.Item).not.toHaveProperty('customerId');
    expect(put!.Put!.Item).not.toHaveProperty('recipient');

    await repo().finish(toLead, 'leased-key', { outcome: 'sent', messageId: 'M1' }, NOW, { id: 'ACT1', customerId: 'L1', occurredAt: NOW } as Activity);
    expect(transactions()[2]!.map((item) => item.Update?.Key?.SK)).toEqual(['$MKT#AUTO#A1#E1', 'STATS']);
    expect(transactions()[2]![0]!.Update!.Key).toEqual({ PK: 'T#t1#L#L1', SK: '$MKT#AUTO#A1#E1' });
  });

  it("records a contact's send in its company's partition, one per contact, beside a live company and an existing contact", async () => {
    ddb.on(TransactWriteCommand).resolves({}).rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None']));
    const toContact = { ...send, recipient: { kind: 'contact' as const, id: 'K1', customerId: 'C1' } };
    expect(await repo().claimNow(toContact, NOW)).toEqual({ claimed: false, reason: 'contact-gone' });
    expect(await repo().schedule(toContact, '2027-01-01T11:00:00.000Z', NOW)).toEqual({ claimed: true, leasedSortKey: '2027-01-01T11:00:00.000Z#t1#automation-send#A1#E1#K1' });
    const [company, contact, put] = transactions()[1]!;
    expect(company!.ConditionCheck!.Key).toEqual({ PK: 'T#t1#C#C1', SK: 'PROFILE' });
    expect(contact!.ConditionCheck).toMatchObject({ Key: { PK: 'T#t1#C#C1', SK: 'CONTACT#K1' }, ConditionExpression: 'attribute_exists(PK)' });
    expect(put!.Put!.Item).toMatchObject({ PK: 'T#t1#C#C1', SK: '$MKT#AUTO#A1#E1#CONTACT#K1', customerId: 'C1', contactId: 'K1' });

    await repo().finish(toContact, 'leased-key', { outcome: 'sent', messageId: 'M1' }, NOW, { id: 'ACT1', customerId: 'C1', occurredAt: NOW } as Activity);
    const [update, check, entry] = transactions()[2]!;
    expect(update!.Update!.Key).toEqual({ PK: 'T#t1#C#C1', SK: '$MKT#AUTO#A1#E1#CONTACT#K1' });
    expect(check!.ConditionCheck!.Key).toEqual({ PK: 'T#t1#C#C1', SK: 'PROFILE' });
    expect(entry!.Put!.Item).toMatchObject({ PK: 'T#t1#C#C1', entity: 'Activity' });
  });
});
