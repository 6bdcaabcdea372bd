import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type NamedItem, transactWrite } from '../aws/transact-write';
import { keys } from '../keys';

/**
 * "Do this side effect at most once" for at-least-once consumers: claim a marker with a
 * conditional put before the effect, complete it after (together with whatever records the
 * effect), release it if the effect failed so a retry may try again.
 */
export class OnceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** False when the effect was already claimed or done. */
  async claim(partitionKey: string, effect: string, nowIso: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.sideEffect(partitionKey, effect), entity: 'SideEffect', status: 'claimed', claimedAt: nowIso },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Marks the effect done and writes the items that record it, atomically. */
  async complete(partitionKey: string, effect: string, result: Record<string, unknown>, records: Record<string, unknown>[]): Promise<void> {
    await transactWrite(this.db, [
      {
        name: 'marker',
        update: {
          TableName: this.tableName,
          Key: keys.sideEffect(partitionKey, effect),
          UpdateExpression: 'SET #status = :done, #result = :result',
          ExpressionAttributeNames: { '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: { ':done': 'done', ':result': result },
        },
      },
      ...records.map((Item, i): NamedItem => ({ name: `record-${i}`, put: { TableName: this.tableName, Item } })),
    ]);
  }

  async release(partitionKey: string, effect: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.sideEffect(partitionKey, effect) }));
  }
}
