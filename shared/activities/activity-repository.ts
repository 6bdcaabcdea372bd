import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { CustomerNotFound } from '../errors';
import { ACTIVITY_SK_PREFIX, keys, withoutStorageAttributes } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { Activity } from './activity';

/** What a write-once entry did: written now, there already, or not written (the profile is not live). */
export type EntryWrite = 'recorded' | 'duplicate' | 'customer-gone';

export interface ActivityPage {
  items: Activity[];
  lastEvaluatedKey?: Record<string, unknown>;
}

export class ActivityRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The activity, its event and, for a follow-up, the customer's lastFollowUpAt in one
   * transaction. lastFollowUpAt only moves forward: if a later follow-up is already recorded, the
   * activity is written without touching it. `alongside` are written in the same transaction (a
   * completed task); their failed conditions throw TransactionConditionFailed by their names.
   */
  async log(tenantId: string, activity: Activity, followUp: boolean, event: { detailType: string; detail: { id: string } }, alongside: readonly NamedItem[] = []): Promise<void> {
    const profileKey = keys.customer(tenantId, activity.customerId);
    const write = (moveFollowUp: boolean) =>
      transactWrite(this.db, [
        moveFollowUp
          ? {
              name: 'profile',
              update: {
                TableName: this.tableName,
                Key: profileKey,
                UpdateExpression: 'SET lastFollowUpAt = :at',
                ConditionExpression: `${LIVE_PROFILE_CONDITION} AND (attribute_not_exists(lastFollowUpAt) OR lastFollowUpAt = :null OR lastFollowUpAt < :at)`,
                ExpressionAttributeValues: { ':at': activity.occurredAt, ':null': null, ...LIVE_PROFILE_VALUES },
              },
            }
          : { name: 'profile', conditionCheck: { TableName: this.tableName, Key: profileKey, ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } },
        {
          name: 'activity',
          put: {
            TableName: this.tableName,
            Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity },
          },
        },
        { name: 'event', put: { TableName: this.tableName, Item: outboxItem(profileKey.PK, event.detailType, event.detail) } },
        ...alongside,
      ]);
    const profileFailed = (error: unknown) => error instanceof TransactionConditionFailed && error.failed('profile');
    try {
      await write(followUp);
    } catch (error) {
      if (!profileFailed(error)) throw error;
      if (!followUp) throw new CustomerNotFound(activity.customerId);
      // A newer follow-up is already recorded, or the customer is gone: the plain check tells which.
      try {
        await write(false);
      } catch (retryError) {
        if (profileFailed(retryError)) throw new CustomerNotFound(activity.customerId);
        throw retryError;
      }
    }
  }

  /**
   * A system entry written at most once: the activity's key derives from what caused it (an
   * event's id and time), so a second write fails `attribute_not_exists` and changes nothing.
   * Conditional on the profile being live, so nothing lands beside a merged or erased profile.
   */
  async recordOnce(tenantId: string, activity: Activity): Promise<EntryWrite> {
    try {
      await transactWrite(this.db, [
        { name: 'profile', conditionCheck: { TableName: this.tableName, Key: keys.customer(tenantId, activity.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES } },
        {
          name: 'entry',
          put: {
            TableName: this.tableName,
            Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ]);
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('entry')) return 'duplicate';
      if (error.failed('profile')) return 'customer-gone';
      throw error;
    }
  }

  /** Newest first by when they happened. */
  async list(tenantId: string, customerId: string, limit: number, startKey?: Record<string, unknown>): Promise<ActivityPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':prefix': ACTIVITY_SK_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map(toActivity), lastEvaluatedKey: result.LastEvaluatedKey };
  }
}

export function toActivity(item: Record<string, unknown>): Activity {
  return withoutStorageAttributes(item) as unknown as Activity;
}import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';

