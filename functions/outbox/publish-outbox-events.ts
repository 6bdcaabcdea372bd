import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventPublisher } from '../../shared/outbox/wiring';
import { relayOutboxRecords } from '../../shared/outbox/outbox-relay-use-case';
import { eventHandler } from '../../shared/log-context';

/** Table stream -> event bus: the only way domain events leave the table. */
export const handler = eventHandler(async (event: DynamoDBStreamEvent) => relayOutboxRecords(event.Records, eventPublisher));
