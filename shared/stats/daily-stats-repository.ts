import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { keys, TTL_ATTRIBUTE } from '../keys';

/** Dedupe markers only need to outlive EventBridge's retry window (24 h). */
const DEDUPE_TTL_SECONDS = 2 * 24 * 3600;

export class DailyStatsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts an event once: the dedupe marker and the increment commit together, so a re-delivered
   * event (EventBridge is at-least-once) fails the marker's condition and changes nothing.
   * Returns false for a duplicate.
   */
  async countOnce(tenantId: string, day: string, metric: string, eventId: string, nowEpochSeconds: number): Promise<boolean> {
    try {
      // Every event of a tenant's day increments one item: concurrent consumers conflict often (the helper retries).
      await transactWrite(this.db, [
        {
          name: 'marker',
          put: {
            TableName: this.tableName,
            Item: { ...keys.statsDedupe(tenantId, day, eventId), entity: 'StatsDedupe', [TTL_ATTRIBUTE]: nowEpochSeconds + DEDUPE_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          name: 'count',
          update: {
            TableName: this.tableName,
            Key: keys.dailyStats(tenantId, day, metric),
            UpdateExpression: 'ADD #count :one SET entity = :entity',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':entity': 'DailyStat' },
          },
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('marker')) return false;
      throw error;
    }
  }

  async read(tenantId: string, day: string, metric: string): Promise<number> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.dailyStats(tenantId, day, metric) }));
    return Number(result.Item?.count ?? 0);
  }
}
