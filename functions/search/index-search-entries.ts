import type { DynamoDBStreamEvent } from 'aws-lambda';
import { eventHandler } from '../../shared/log-context';
import { indexSearchRecords } from '../../shared/search/search-indexer-use-case';
import { searchIndex } from '../../shared/search/wiring';

/** Table stream -> search word index: customers, contacts, deals and leads become findable (docs/search.md). */
export const handler = eventHandler(async (event: DynamoDBStreamEvent) => indexSearchRecords(event.Records, searchIndex));
