import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import { DEAL_SK_PREFIX, keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import type { Deal } from './deal';

/** Which transaction item failed its condition: the use case re-reads (profile) or answers 412 (deal). */
export type CommitResult = { ok: true } | { ok: false; failed: 'profile' | 'deal'; current?: Record<string, unknown> };

/**
 * Deals in their customer's partition (`DEAL#<id>`), their stage history (`DEALHIST#<id>#...`), and
 * the one transaction every deal write commits. A deal is found by id through GSI3
 * (`T#<t>#DEAL#<id>`), then read consistently from its partition.
 */
export class DealRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get(tenantId: string, dealId: string): Promise<Deal | undefined> {
    const index = TABLE_INDEXES.gsi3;
    const { GSI3PK, GSI3SK } = keys.dealById(tenantId, dealId);
    const found = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk AND ${index.sk} = :sk`,
        ExpressionAttributeValues: { ':pk': GSI3PK, ':sk': GSI3SK },
        ProjectionExpression: 'customerId',
      }),
    );
    const customerId = found.Items?.[0]?.customerId;
    if (typeof customerId !== 'string') return undefined;
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.deal(tenantId, customerId, dealId), ConsistentRead: true }));
    return result.Item ? (withoutStorageAttributes(result.Item) as unknown as Deal) : undefined;
  }

  /** Every deal of one customer: its partition's `DEAL#` range (an import looks for a deal it would repeat). */
  async ofCustomer(tenantId: string, customerId: string): Promise<Deal[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':prefix': DEAL_SK_PREFIX },
      ConsistentRead: true,
    });
    return items.map((item) => withoutStorageAttributes(item) as unknown as Deal);
  }

  async history(tenantId: string, customerId: string, dealId: string): Promise<Record<string, unknown>[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':prefix': keys.dealHistoryPrefix(dealId) },
    });
    return items.map(withoutStorageAttributes);
  }

  /** The item named `profile` is the profile's condition, the one named `deal` the deal's. */
  async commit(items: NamedItem[]): Promise<CommitResult> {
    try {
      await transactWrite(this.db, items);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('profile')) return { ok: false, failed: 'profile', current: error.current('profile') };
      if (error.failed('deal')) return { ok: false, failed: 'deal', current: error.current('deal') };
      throw error;
    }
  }
}
