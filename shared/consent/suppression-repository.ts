import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { normalizeEmail } from '../customers/contact-points';
import { keys, withoutStorageAttributes } from '../keys';
import type { Suppression } from './suppression';
import { addressHash } from './suppression-key';

/** BatchGetItem hands back what it could not read under load; read those again, briefly backing off. */

export class SuppressionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Adds the address unless it is suppressed already. A bounce or complaint replaces a manual
   * entry (it brings evidence); otherwise the first entry stays. Returns whether it wrote.
   */
  async add(tenantId: string, suppression: Suppression): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.suppression(tenantId, suppression.addressHash), entity: 'Suppression', ...suppression },
          ConditionExpression: suppression.reason === 'manual' ? 'attribute_not_exists(PK)' : 'attribute_not_exists(PK) OR reason = :manual',
          ExpressionAttributeValues: suppression.reason === 'manual' ? undefined : { ':manual': 'manual' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(tenantId: string, limit: number, startKey?: Record<string, unknown>): Promise<{ items: Suppression[]; lastEvaluatedKey?: Record<string, unknown> }> {
    const { PK, skPrefix } = keys.suppressions(tenantId);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { items: (result.Items ?? []).map((i) => withoutStorageAttributes(i) as unknown as Suppression), lastEvaluatedKey: result.LastEvaluatedKey };
  }

  /** Whether there was an entry to remove. */
  async remove(tenantId: string, address: string): Promise<boolean> {
    const result = await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.suppression(tenantId, addressHash(address)), ReturnValues: 'ALL_OLD' }));
    return result.Attributes !== undefined;
  }

  /**
   * For the campaign flow: which of these addresses are suppressed (normalized), one BatchGetItem
   * per 100 addresses, reading only the key. Erased entries still match: the key is the hash.
   */
  async suppressedAmong(tenantId: string, addresses: readonly string[]): Promise<Set<string>> {
    const byHash = new Map(addresses.map((a) => [addressHash(a), normalizeEmail(a)]));
    // batchGetAll asks 100 keys a call and retries unprocessed ones with backoff.
    const items = await batchGetAll(this.db, this.tableName, [...byHash.keys()].map((h) => keys.suppression(tenantId, h)), { projection: 'SK' });
    const suppressed = new Set(items.map((item) => byHash.get(String(item.SK).slice('EMAIL#'.length))!));
    return suppressed;
  }

  /** Erasure: the entry keeps suppressing (by hash) but no longer holds the address. */
  forgetAddress(tenantId: string, address: string): Promise<void> {
    return this.forgetHash(tenantId, addressHash(address));
  }

  /** The same, for an entry known by its key only (a privacy request keeps the hash, never the address). */
  async forgetHash(tenantId: string, hash: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.suppression(tenantId, hash),
          UpdateExpression: 'SET email = :null',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':null': null },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
