import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import fixture from '../../../events/fixtures/crm.customer.created.v1.json';
import { EventPublisher } from '../../../shared/outbox/event-bus-gateway';
import { relayOutboxRecords } from '../../../shared/outbox/outbox-relay-use-case';

const eventBridge = mockClient(EventBridgeClient);
const publisher = () => new EventPublisher(new EventBridgeClient({}), 'bus');

function record(seq: string, sk: string, item: Record<string, unknown>, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord {
  return {
    eventName,
    dynamodb: { SequenceNumber: seq, Keys: marshall({ PK: 'T#acme#C#1', SK: sk }) as never, NewImage: marshall({ PK: 'T#acme#C#1', SK: sk, ...item }) as never },
  };
}
const outbox = (seq: string, detail: Record<string, unknown> = fixture) =>
  record(seq, `$EVT#${String(detail.id)}`, { source: 'crm', detailType: 'crm.customer.created.v1', detail });

describe('relayOutboxRecords', () => {
  beforeEach(() => {
    eventBridge.reset();
    process.env.CRM_LOG_LEVEL = 'silent';
  });

  it('publishes outbox inserts with their detail-type and contract-checked detail', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });

    const result = await relayOutboxRecords([outbox('100')], publisher());

    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toMatchObject({ Source: 'crm', DetailType: 'crm.customer.created.v1' });
    expect(JSON.parse(entry!.Detail!)).toEqual(fixture);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('ignores profile writes, modifications and removals', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    await relayOutboxRecords([record('1', 'PROFILE', { name: 'x' }), { ...outbox('2'), eventName: 'REMOVE' }], publisher());

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('skips an item that breaks its contract instead of retrying it forever', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    const result = await relayOutboxRecords([outbox('1', { ...fixture, tenantId: '' })], publisher());

    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('skips a record whose image cannot be read and still publishes the others of its batch', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
    const broken = outbox('1');
    (broken.dynamodb!.NewImage as Record<string, unknown>).detail = {};

    const result = await relayOutboxRecords([broken, outbox('2')], publisher());

    expect(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries).toHaveLength(1);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports the records whose events were not published, so Lambda retries them', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: '1' }, { ErrorCode: 'ThrottlingException' }] });

    const result = await relayOutboxRecords([outbox('100'), outbox('200', { ...fixture, id: '01JD0000000000000000000009' })], publisher());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '200' }]);
  });
});
