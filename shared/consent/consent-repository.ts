import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../activities/activity';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { profileUpdate } from '../customers/profile-item';
import { keys } from '../keys';
import { Conflict } from '../errors';
import { outboxItem } from '../outbox/outbox';

/**
 * The profile or contact changed since it was read: read again and decide again. Should it keep
 * changing past the retries, the client gets a 409 (one-click senders retry), never a 500.
 */
export class ConsentChanged extends Conflict {
  constructor() {
    super('The record changed while the opt-out was being recorded; send the request again');
  }
}

/**
 * Writes opt-outs that did not come from a user's PATCH (unsubscribe links): the new consent, the
 * timeline entry and, for a customer, `crm.customer.updated.v1`, in one transaction conditioned on
 * the version read, so a concurrent edit can neither lose the opt-out nor be lost by it.
 */
export class ConsentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordCustomerOptOut(before: Customer, after: Customer, activity: Activity, event: { detailType: string; detail: { id: string } }): Promise<void> {
    const set = profileUpdate(after, ['consent', 'updatedAt', 'updatedBy', 'version']);
    const profileKey = keys.customer(after.tenantId, after.id);
    await this.write([
      {
        name: 'profile',
        update: {
          TableName: this.tableName,
          Key: profileKey,
          UpdateExpression: set.UpdateExpression,
          ConditionExpression: `${LIVE_PROFILE_CONDITION} AND #version = :expected`,
          ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#version': 'version' },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ...LIVE_PROFILE_VALUES, ':expected': before.version },
        },
      },
      this.activityPut(after.tenantId, activity),
      { name: 'event', put: { TableName: this.tableName, Item: outboxItem(profileKey.PK, event.detailType, event.detail) } },
    ]);
  }

  /** A contact's opt-out lands on its company's timeline; the company must still be live. */
  async recordContactOptOut(tenantId: string, before: Contact, after: Contact, activity: Activity): Promise<void> {
    await this.write([
      {
        name: 'contact',
        update: {
          TableName: this.tableName,
          Key: keys.contact(tenantId, after.customerId, after.id),
          UpdateExpression: 'SET consent = :consent, updatedAt = :at, updatedBy = :by, #version = :next',
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':consent': after.consent, ':at': after.updatedAt, ':by': after.updatedBy, ':next': after.version, ':expected': before.version },
        },
      },
      {
        name: 'company',
        conditionCheck: { TableName: this.tableName, Key: keys.customer(tenantId, after.customerId), ConditionExpression: LIVE_PROFILE_CONDITION, ExpressionAttributeValues: LIVE_PROFILE_VALUES },
      },
      this.activityPut(tenantId, activity),
    ]);
  }

  private activityPut(tenantId: string, activity: Activity): NamedItem {
    return { name: 'entry', put: { TableName: this.tableName, Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity } } };
  }

  private async write(items: NamedItem[]): Promise<void> {
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionConditionFailed) throw new ConsentChanged();
      throw error;
    }
  }
}
