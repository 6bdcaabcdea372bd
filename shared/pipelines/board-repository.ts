import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import type { Deal, DealStatus } from '../deals/deal';
import { dealFilterExpression, type DealFilter, matchesDealFilter } from '../deals/deal-list-query';
import { DEAL_SK_PREFIX, keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { decodeIndexCursor, encodeCursor } from '../pagination';

/** The board's reads: the column aggregates (one Query) and one page of a column's deals (GSI1). */
export interface ColumnAggregate {
  count: number;
  sums: Record<string, number>;
}

export function toAggregate(item: Record<string, unknown>): ColumnAggregate {
  const sums = Object.fromEntries(Object.entries(item).filter(([name]) => name.startsWith('sum:')).map(([name, value]) => [name.slice(4), Number(value)]));
  return { count: Number(item.count ?? 0), sums };
}

export class BoardReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async aggregates(tenantId: string, pipelineId: string): Promise<Map<string, ColumnAggregate>> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.boardAggregates(tenantId, pipelineId).PK },
    });
    return new Map(items.map((item) => [String(item.SK), toAggregate(item)]));
  }

  async columnPage(tenantId: string, pipelineId: string, column: string, limit: number, cursor?: string): Promise<{ deals: Deal[]; cursor: string | null }> {
    const index = TABLE_INDEXES.gsi1;
    const partition = keys.boardColumn(tenantId, pipelineId, column).GSI1PK;
    const customerPrefix = keys.customerPartition(tenantId, '');
    const start = decodeIndexCursor(cursor, index, partition, (key) => key.PK.startsWith(customerPrefix) && key.SK.startsWith(DEAL_SK_PREFIX));
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { deals: (page.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Deal), cursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /**
   * An owner's deals of one status in one pipeline, soonest close first: Query pages of the owner's
   * GSI5 partition (`DEALOWNER#<owner>#<status>`, filtered on the pipeline, and on the team for a
   * manager) until it ends or `budget` index items were read. `complete: false` when it did not end.
   */
  async ownerDeals(tenantId: string, ownerId: string, status: DealStatus, filter: DealFilter, budget: number): Promise<{ deals: Deal[]; complete: boolean }> {
    const index = TABLE_INDEXES.gsi5;
    const expression = dealFilterExpression(filter);
    const deals: Deal[] = [];
    let read = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: `${index.pk} = :pk`,
          ...(expression.expression ? { FilterExpression: expression.expression, ExpressionAttributeNames: expression.names } : {}),
          ExpressionAttributeValues: { ':pk': keys.dealsOfOwner(tenantId, ownerId, status).GSI5PK, ...expression.values },
          Limit: budget - read,
          ExclusiveStartKey: startKey,
        }),
      );
      read += page.ScannedCount ?? 0;
      deals.push(...(page.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Deal).filter((d) => matchesDealFilter(d, filter)));
      startKey = page.LastEvaluatedKey;
    } while (startKey && read < budget);
    return { deals, complete: startKey === undefined };
  }
}
