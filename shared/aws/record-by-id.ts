import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_INDEXES } from '../keys';

/**
 * A record found by its id through GSI3 (`{GSI3PK, GSI3SK}` names it), then read consistently by
 * its own key: the index gives where it lives (its customer's partition), the table what it is now.
 */
export async function getByIndexedId(db: DynamoDBDocumentClient, tableName: string, byId: { GSI3PK: string; GSI3SK: string }): Promise<Record<string, unknown> | undefined> {
  const found = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: TABLE_INDEXES.gsi3.name,
      KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK = :sk',
      ExpressionAttributeValues: { ':pk': byId.GSI3PK, ':sk': byId.GSI3SK },
      ProjectionExpression: 'PK, SK',
    }),
  );
  const key = found.Items?.[0];
  if (!key) return undefined;
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { PK: key.PK, SK: key.SK }, ConsistentRead: true }));
  return Item;
}

/**
 * The next number of a tenant's yearly series (`Q-2026-0042`): one atomic counter update. A number
 * drawn by a write that then fails is not given again: numbers never repeat, and may skip.
 */
export async function nextYearlyNumber(db: DynamoDBDocumentClient, tableName: string, counter: { PK: string; SK: string }, prefix: string, year: string): Promise<string> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: counter,
      UpdateExpression: 'ADD lastNumber :one SET entity = :entity',
      ExpressionAttributeValues: { ':one': 1, ':entity': 'YearlyNumbers' },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return `${prefix}-${year}-${String(Attributes?.lastNumber ?? 1).padStart(4, '0')}`;
}
