import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventPublisher } from '../../../shared/outbox/event-bus-gateway';

const eventBridge = mockClient(EventBridgeClient);
const events = (n: number) => Array.from({ length: n }, (_, i) => ({ source: 'crm', detailType: 'crm.test.v1', detail: { i } }));

describe('EventPublisher', () => {
  beforeEach(() => {
    eventBridge.reset();
    process.env.CRM_LOG_LEVEL = 'silent';
  });

  it('sends at most 10 entries per PutEvents call, to the configured bus', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });

    const result = await new EventPublisher(new EventBridgeClient({}), 'crm-dev').publish(events(23));

    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]!.args[0].input.Entries?.[0]).toEqual({ EventBusName: 'crm-dev', Source: 'crm', DetailType: 'crm.test.v1', Detail: '{"i":0}' });
    expect(result.failedIndexes).toEqual([]);
  });

  it('reports the entries EventBridge rejected (FailedEntryCount > 0) instead of ignoring them', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'a' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }, { EventId: 'c' }],
    });

    const result = await new EventPublisher(new EventBridgeClient({}), 'crm-dev').publish(events(3));

    expect(result.failedIndexes).toEqual([1]);
  });

  it('reports every entry of a call that failed as a whole, and only those', async () => {
    eventBridge.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 0, Entries: [] }).rejectsOnce(new Error('throttled'));

    const result = await new EventPublisher(new EventBridgeClient({}), 'crm-dev').publish(events(12));

    expect(result.failedIndexes).toEqual([10, 11]);
  });
});
