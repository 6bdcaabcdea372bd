import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type NamedItem, named, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { CustomerNotFound, DuplicateCustomer, StaleVersion } from '../errors';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import { releaseAbandonedGuard } from './abandoned-guard-repository';
import { type UniqueValue, uniqueValueChanges, uniqueValues } from './contact-points';
import { type Customer, TRACKED_FIELDS } from './customer';
import { createdOwnership, guardPut, newProfilePut } from './customer-items';
import { profileUpdate, withoutUnchangedCheck } from './profile-item';
import { PROFILE_PROJECTION, toCustomer } from './profile-record';

// Readers elsewhere import it from here.
export { toCustomer };

/** The guard a write claims for `claims[index]`. */
const guardName = (index: number) => `guard-${index}`;

export interface OutboxEvent {
  detailType: string;
  detail: { id: string };
}

export class CustomerRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One transaction: the profile, a guard per email/phone/domain and the outbox events.
   * Concurrent creates of one value race on that guard's condition, so exactly one wins.
   * A customer created with an owner (a rep's) also counts in the owner's book and starts its
   * ownership history (`created`); no claim cap applies to what a rep enters themselves.
   */
  async create(customer: Customer, events: OutboxEvent[]): Promise<void> {
    const claims = uniqueValues(customer);
    await this.write(customer, claims, [
      named('profile', newProfilePut(this.tableName, customer)),
      ...claims.map((u, i) => named(guardName(i), guardPut(this.tableName, customer, u))),
      ...this.outbox(customer, events),
      ...createdOwnership(this.tableName, customer).map((item, i) => named(`ownership-${i}`, item)),
    ]);
  }

  /**
   * Sets the editable fields if the profile is still at `before.version` (optimistic concurrency),
   * claims the values the update adds and releases those it drops, with the events, in one
   * transaction. Only the fields a user edits are written, so attributes other writers maintain
   * (lastFollowUpAt) are never overwritten with a stale copy.
   */
  async update(before: Customer, after: Customer, events: OutboxEvent[]): Promise<void> {
    const { claim, release } = uniqueValueChanges(uniqueValues(before), uniqueValues(after));
    const set = profileUpdate(after, withoutUnchangedCheck([...TRACKED_FIELDS, 'updatedAt', 'updatedBy', 'version', 'reclaimCheckAt'], before, after));
    await this.write(after, claim, [
      {
        name: 'profile',
        update: {
          TableName: this.tableName,
          Key: keys.customer(after.tenantId, after.id),
          UpdateExpression: set.UpdateExpression,
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#version': 'version' },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':expected': before.version },
        },
        returnCurrent: true,
      },
      ...claim.map((u, i) => named(guardName(i), guardPut(this.tableName, after, u))),
      ...release.map((u, i): NamedItem => ({
        name: `release-${i}`,
        delete: {
          TableName: this.tableName,
          Key: keys.uniqueGuard(after.tenantId, u.field, u.value),
          // Only release a guard this customer holds.
          ConditionExpression: 'customerId = :id',
          ExpressionAttributeValues: { ':id': after.id },
        },
      })),
      ...this.outbox(after, events),
    ]);
  }

  /** The profile's record attributes only: index keys (ten of them) are neither needed nor unmarshalled. */
  async get(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId), ...PROFILE_PROJECTION }));
    return result.Item ? toCustomer(result.Item) : undefined;
  }

  /** The customer holding this (normalized) email, phone or domain: its uniqueness guard, one GetItem. */
  async holderOf(tenantId: string, field: 'email' | 'phone' | 'domain', normalizedValue: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.uniqueGuard(tenantId, field, normalizedValue), ProjectionExpression: 'customerId' }));
    return typeof Item?.customerId === 'string' ? Item.customerId : undefined;
  }

  /** Runs the transaction; maps a failed guard to DuplicateCustomer and a failed profile check to 404/412. */
  /** `freed`: a guard an interrupted import abandoned was freed, and the write is tried once more. */
  private async write(customer: Customer, claims: UniqueValue[], items: NamedItem[], freed = false): Promise<void> {
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('profile')) {
        const current = error.current('profile');
        if (!current) throw new CustomerNotFound(customer.id);
        throw new StaleVersion('customer', Number(current.version));
      }
      for (const [index, claimed] of claims.entries()) {
        const guard = error.current(guardName(index));
        if (guard) {
          if (!freed && (await releaseAbandonedGuard(this.db, this.tableName, customer.tenantId, claimed, guard))) return this.write(customer, claims, items, true);
          const existingId = String(guard.customerId);
          const existing = await this.get(customer.tenantId, existingId);
          throw new DuplicateCustomer(claimed.field, claimed.value, existingId, existing?.ownerId ?? undefined);
        }
      }
      throw error;
    }
  }




  private outbox(customer: Customer, events: OutboxEvent[]): NamedItem[] {
    const partition = keys.customerPartition(customer.tenantId, customer.id);
    return events.map((e, i) => ({ name: `event-${i}`, put: { TableName: this.tableName, Item: outboxItem(partition, e.detailType, e.detail) } }));
  }
}
