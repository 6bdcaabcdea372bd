import { logError } from '../log';
import { type EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** PutEvents accepts at most 10 entries per call. */
const MAX_ENTRIES_PER_CALL = 10;

export interface BusEvent {
  source: string;
  detailType: string;
  detail: unknown;
}

/**
 * Publishes in batches and reports which events failed (by index) instead of logging and moving
 * on: a partial failure (FailedEntryCount > 0) must be retried by the caller.
 */
export class EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(events: BusEvent[]): Promise<{ failedIndexes: number[] }> {
    const failedIndexes: number[] = [];
    for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
      const batch = events.slice(start, start + MAX_ENTRIES_PER_CALL);
      const entries: PutEventsRequestEntry[] = batch.map((event) => ({
        EventBusName: this.eventBusName,
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }));
      try {
        const result = await this.client.send(new PutEventsCommand({ Entries: entries }));
        if ((result.FailedEntryCount ?? 0) > 0) {
          result.Entries?.forEach((entry, i) => {
            if (entry.ErrorCode) failedIndexes.push(start + i);
          });
        }
      } catch (error) {
        logError('PutEvents failed', error, { batchSize: batch.length });
        // The whole call failed: every event of this batch (and none of the earlier ones) must be retried.
        batch.forEach((_, i) => failedIndexes.push(start + i));
      }
    }
    return { failedIndexes };
  }
}
