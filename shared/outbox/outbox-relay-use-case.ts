import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { contractFor } from '../../events';
import { OUTBOX_SK_PREFIX } from '../keys';
import { logError } from '../log';
import type { BusEvent, EventPublisher } from './event-bus-gateway';

interface PendingEvent {
  sequenceNumber: string;
  event: BusEvent;
}

/**
 * Turns outbox INSERTs from the table stream into bus events. The event source mapping already
 * filters to outbox inserts; the check here keeps the relay correct without that filter.
 * Failed records are reported back (ReportBatchItemFailures) so Lambda retries them; consumers
 * are idempotent on the event id, so a re-delivered event is harmless.
 */
export async function relayOutboxRecords(records: DynamoDBRecord[], publisher: EventPublisher): Promise<DynamoDBBatchResponse> {
  const pending: PendingEvent[] = [];
  for (const record of records) {
    const sk = record.dynamodb?.Keys?.SK?.S;
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || !sk?.startsWith(OUTBOX_SK_PREFIX) || !image) continue;
    let item: Record<string, unknown>;
    try {
      item = unmarshall(image as Record<string, AttributeValue>);
    } catch (error) {
      // A malformed image stays malformed on every retry: skip it rather than block its batch.
      logError('outbox record image cannot be read; skipped', error, { sk });
      continue;
    }
    const contract = contractFor(String(item.detailType));
    const parsed = contract?.schema.safeParse(item.detail);
    if (!parsed?.success) {
      // A producer validated this when writing it; if it no longer parses, retrying cannot help.
      logError('outbox item does not match its contract; skipped', parsed?.error, { sk, detailType: item.detailType });
      continue;
    }
    pending.push({
      sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
      event: { source: String(item.source), detailType: String(item.detailType), detail: parsed.data },
    });
  }
  const { failedIndexes } = await publisher.publish(pending.map((p) => p.event));
  return { batchItemFailures: failedIndexes.map((i) => ({ itemIdentifier: pending[i]!.sequenceNumber })) };
}
