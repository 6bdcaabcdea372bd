import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../activities/activity';
import { TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { keys } from '../keys';

export type TimelineWrite = 'recorded' | 'duplicate' | 'customer-gone';

/** Timeline entries for SES events: at most one per message and event type. */
export class SesEventRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The entry and a `$DONE#ses-<kind>-<messageId>` marker in one transaction: the marker makes
   * redeliveries and repeated opens/clicks of one mail no-ops, so a mail adds at most one entry
   * per type however often it is opened. Nothing lands beside a merged or erased profile.
   */
  async recordOnce(tenantId: string, kind: string, messageId: string, activity: Activity): Promise<TimelineWrite> {
    const partition = keys.customerPartition(tenantId, activity.customerId);
    try {
      await transactWrite(this.db, [
        { name: 'profile', conditionCheck: { TableName: this.tableName, Key: keys.customer(tenantId, activity.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } },
        {
          name: 'marker',
          put: {
            TableName: this.tableName,
            Item: { ...keys.sideEffect(partition, `ses-${kind}-${messageId}`), entity: 'SideEffect', status: 'done', claimedAt: activity.loggedAt, activityId: activity.id },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { name: 'entry', put: { TableName: this.tableName, Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity } } },
      ]);
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('profile')) return 'customer-gone';
      if (error.failed('marker')) return 'duplicate';
      throw error;
    }
  }
}
