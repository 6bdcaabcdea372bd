import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** The stored item's version when a versioned put lost; `undefined` when no item was stored. */
export type VersionMismatch = { written: false; currentVersion: number | undefined };

/**
 * Optimistic concurrency for a record stored as one item: puts `item` only if the stored one is
 * still at `expected` (or, with `'absent'`, only if none is stored yet), so two edits of one
 * version cannot both win. On a lost race it answers the version now stored, which the caller
 * turns into its own "not found" or "stale" error; any other failure propagates.
 */
export async function putAtVersion(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  expected: number | 'absent',
): Promise<{ written: true } | VersionMismatch> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ...(expected === 'absent'
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expected } }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { written: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { written: false, currentVersion: error.Item ? Number(unmarshall(error.Item).version) : undefined };
  }
}
