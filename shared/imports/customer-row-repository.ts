import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { ownershipHistoryItem, type OwnershipChange } from '../allocation/ownership-history';
import { releaseAbandonedGuard } from '../customers/abandoned-guard-repository';
import { type UniqueValue, uniqueValues } from '../customers/contact-points';
import type { Customer } from '../customers/customer';
import { guardPut, newProfilePut } from '../customers/customer-items';
import type { OutboxEvent } from '../customers/customer-repository';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';

export const uniqueKey = (u: UniqueValue) => `${u.field}:${u.value}`;

/** How a new customer's write ended: written (now or by an earlier attempt of the same row), or a value held by another customer. */
export type CreateOutcome = { written: true } | { written: false; taken: UniqueValue; holderId: string };

/**
 * Writes an imported customer without a transaction (docs/integrations.md, "How a row is
 * written"): a transaction bills every item twice, and an import of 100,000 rows should cost what
 * its items cost. It stays race-free and crash-safe by order and ids:
 * - each email, phone and domain guard is claimed with its own conditional put (free, or already
 *   this row's), so a create through the API at the same moment and the row race on the guard
 *   and exactly one wins; a row that loses gives back the guards it took;
 * - the profile is written last, conditional on a new id, so it never exists without its guards;
 * - the row's ids (customer, history entry, events) derive from the import and the row, so a
 *   resumed batch finds its own guards and profile and writes nothing twice.
 */
export class CustomerRowRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(customer: Customer, history: OwnershipChange | undefined, events: readonly OutboxEvent[]): Promise<CreateOutcome> {
    const claimed: UniqueValue[] = [];
    for (const unique of uniqueValues(customer)) {
      const holderId = await this.claim(customer, unique);
      if (holderId !== undefined) {
        await Promise.all(claimed.map((u) => this.release(customer, u)));
        return { written: false, taken: unique, holderId };
      }
      claimed.push(unique);
    }
    try {
      await this.db.send(new PutCommand(newProfilePut(this.tableName, customer).Put!));
    } catch (error) {
      // The profile of this row's id is there: an earlier attempt wrote it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Neither needs a condition: the ids are the row's, so a second put writes the same item.
    if (history) await this.db.send(new PutCommand({ TableName: this.tableName, Item: ownershipHistoryItem(customer.tenantId, history) }));
    const partition = keys.customerPartition(customer.tenantId, customer.id);
    for (const event of events) await this.db.send(new PutCommand({ TableName: this.tableName, Item: outboxItem(partition, event.detailType, event.detail) }));
    return { written: true };
  }

  /** Who holds each of these values now (`email:a@b.c` -> customer id), for a dry run: BatchGetItem of their guards. */
  async holders(tenantId: string, values: readonly UniqueValue[]): Promise<Map<string, string>> {
    // One key per value: BatchGetItem refuses a list with a key twice (a value on two rows of the file).
    const distinct = [...new Map(values.map((u) => [uniqueKey(u), u])).values()];
    const found = await batchGetAll(this.db, this.tableName, distinct.map((u) => keys.uniqueGuard(tenantId, u.field, u.value)), { projection: 'PK, customerId' });
    const byPk = new Map(found.map((item) => [String(item.PK), String(item.customerId)]));
    const holders = new Map<string, string>();
    for (const u of values) {
      const holder = byPk.get(keys.uniqueGuard(tenantId, u.field, u.value).PK);
      if (holder) holders.set(uniqueKey(u), holder);
    }
    return holders;
  }

  /**
   * Claims a value for the customer, stamped `claimedAt` (abandoned-guard.ts: until its profile
   * is written, the guard names a customer that does not exist yet); the holder's id when another
   * customer holds it. A guard an interrupted import abandoned is freed and claimed.
   */
  private async claim(customer: Customer, unique: UniqueValue, freed = false): Promise<string | undefined> {
    const put = guardPut(this.tableName, customer, unique).Put!;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...put.Item, claimedAt: customer.createdAt },
          ConditionExpression: 'attribute_not_exists(PK) OR customerId = :id',
          ExpressionAttributeValues: { ':id': customer.id },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = error.Item ? unmarshall(error.Item) : {};
      if (!freed && (await releaseAbandonedGuard(this.db, this.tableName, customer.tenantId, unique, holder))) return this.claim(customer, unique, true);
      return String(holder.customerId ?? '');
    }
  }

  /** Gives back a guard this customer took (only if it still holds it). */
  private async release(customer: Customer, unique: UniqueValue): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.uniqueGuard(customer.tenantId, unique.field, unique.value),
          ConditionExpression: 'customerId = :id',
          ExpressionAttributeValues: { ':id': customer.id },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
