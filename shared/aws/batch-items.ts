import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Keys per BatchGetItem and items per BatchWriteItem, DynamoDB's own limits. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
const UNPROCESSED_ATTEMPTS = 8;

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));

/**
 * Every item of these keys that exists, in no particular order: BatchGetItem in chunks of 100,
 * with the unprocessed keys (throttling) asked for again with backoff.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  itemKeys: readonly Record<string, unknown>[],
  options: { consistent?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < itemKeys.length; i += GET_BATCH) {
    let pending: Record<string, unknown>[] | undefined = itemKeys.slice(i, i + GET_BATCH) as Record<string, unknown>[];
    for (let attempt = 1; pending?.length; attempt++) {
      if (attempt > UNPROCESSED_ATTEMPTS) throw new Error('BatchGetItem throttled: unprocessed keys remain');
      if (attempt > 1) await backoff(attempt);
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: options.consistent,
              ProjectionExpression: options.projection,
              ExpressionAttributeNames: options.names,
            },
          },
        }),
      );
      found.push(...(result.Responses?.[tableName] ?? []));
      pending = result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
}

/** One request of a BatchWriteItem: a put or a delete. */
export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes every request, BatchWriteItem in chunks of 25, retrying unprocessed ones with backoff. Unconditional. */
export async function batchWriteAll(db: DynamoDBDocumentClient, tableName: string, requests: readonly WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + WRITE_BATCH);
    for (let attempt = 1; pending?.length; attempt++) {
      if (attempt > UNPROCESSED_ATTEMPTS) throw new Error('BatchWriteItem throttled: unprocessed items remain');
      if (attempt > 1) await backoff(attempt);
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = result.UnprocessedItems?.[tableName] as WriteRequest[] | undefined;
    }
  }
}

/** Puts every item (batchWriteAll). Unconditional. */
export function batchPutAll(db: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  return batchWriteAll(db, tableName, items.map((Item) => ({ PutRequest: { Item } })));
}
