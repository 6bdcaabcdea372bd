import type { DynamoDBStreamHandler } from 'aws-lambda';
import { eventPublisher } from '../../shared/outbox/wiring';
import { relayOutboxRecords } from '../../shared/outbox/outbox-relay-use-case';

/** Table stream -> event bus: the only way domain events leave the table. */
export const handler: DynamoDBStreamHandler = async (event) => relayOutboxRecords(event.Records, eventPublisher);
