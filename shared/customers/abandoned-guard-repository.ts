import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { clock } from '../clock';
import { keys } from '../keys';
import { isAbandonedGuard } from './abandoned-guard';
import type { UniqueValue } from './contact-points';

/**
 * Frees a guard an interrupted import left behind (abandoned-guard.ts): when the guard found
 * holding a value names a customer with no profile and was claimed long enough ago, it is deleted,
 * conditional on still being that very claim, and the caller claims the value again. True when
 * it was freed.
 */
export async function releaseAbandonedGuard(db: DynamoDBDocumentClient, tableName: string, tenantId: string, unique: UniqueValue, guard: Record<string, unknown>): Promise<boolean> {
  if (typeof guard.claimedAt !== 'string' || typeof guard.customerId !== 'string') return false;
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.customer(tenantId, guard.customerId), ProjectionExpression: 'PK', ConsistentRead: true }));
  if (!isAbandonedGuard(guard, Item !== undefined, clock.nowIso())) return false;
  try {
    await db.send(
      new DeleteCommand({
        TableName: tableName,
        Key: keys.uniqueGuard(tenantId, unique.field, unique.value),
        ConditionExpression: 'customerId = :id AND claimedAt = :at',
        ExpressionAttributeValues: { ':id': guard.customerId, ':at': guard.claimedAt },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
