import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../customers/customer';
import { decodeListCursor } from '../customers/customer-list-repository';
import { toCustomer } from '../customers/customer-repository';
import { keys, TABLE_INDEXES } from '../keys';
import { encodeCursor } from '../pagination';
import { type PoolCustomersQuery, poolCustomerFilterExpression } from './pool-customer-query';

export interface PoolCustomerPage {
  items: Customer[];
  cursor: string | null;
}

/**
 * A page of the customers waiting in one pool: one Query on the pool's book (GSI1, the same shape
 * as an owner's book), most recently updated first; industry, region and level filter that page,
 * so a filtered page may be short while the cursor is not null. Membership is the use case's check.
 */
export class PoolCustomerLister {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(tenantId: string, poolId: string, query: PoolCustomersQuery): Promise<PoolCustomerPage> {
    const index = TABLE_INDEXES.gsi1;
    const partition = keys.poolBook(tenantId, poolId).GSI1PK;
    const filter = poolCustomerFilterExpression(query.filter);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ExpressionAttributeValues: { ':pk': partition, ...filter.values },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: decodeListCursor(query.cursor, { index, partition }, tenantId),
      }),
    );
    return { items: (result.Items ?? []).map(toCustomer), cursor: encodeCursor(result.LastEvaluatedKey) };
  }

  /**
   * The customers that have waited longest in the pool (oldest `updatedAt` first), for a bulk
   * claim by count; `after` continues from the previous page's last key. Eventually consistent
   * like every index read: the claim's conditions catch a customer that has just left.
   */
  async longestWaiting(tenantId: string, poolId: string, limit: number, after?: Record<string, unknown>): Promise<{ items: Customer[]; next?: Record<string, unknown> }> {
    const index = TABLE_INDEXES.gsi1;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': keys.poolBook(tenantId, poolId).GSI1PK },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: after,
      }),
    );
    return { items: (result.Items ?? []).map(toCustomer), next: result.LastEvaluatedKey };
  }
}
