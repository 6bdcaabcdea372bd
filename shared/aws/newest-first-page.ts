import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../pagination';

/** A list kept in one partition under a sort-key prefix whose keys grow with time (ULIDs). */
export interface PartitionList {
  PK: string;
  skPrefix: string;
}

/**
 * One page of such a list, newest first: one Query, `limit` items read (a `filter` may leave
 * fewer while the cursor goes on), resumed only from a cursor this same list returned.
 */
export async function newestFirstPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  list: PartitionList,
  limit: number,
  cursor: string | undefined,
  filter?: { expression: string; values: Record<string, unknown> },
): Promise<{ items: Record<string, unknown>[]; cursor: string | null }> {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ...(filter ? { FilterExpression: filter.expression } : {}),
      ExpressionAttributeValues: { ':pk': list.PK, ':prefix': list.skPrefix, ...filter?.values },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, list.PK),
    }),
  );
  return { items: result.Items ?? [], cursor: encodeCursor(result.LastEvaluatedKey) };
}
