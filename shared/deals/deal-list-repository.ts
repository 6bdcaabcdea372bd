import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationFailed } from '../errors';
import { DEAL_SK_PREFIX, keys, withoutStorageAttributes } from '../keys';
import { decodeCursor, decodeIndexCursor, encodeCursor } from '../pagination';
import type { Deal } from './deal';
import { dealFilterExpression, type DealListPlan, matchesDealFilter } from './deal-list-query';

export interface DealPage {
  items: Deal[];
  cursor: string | null;
}

/**
 * Reads one page of deals as planned by `planDealList`: exactly one Query (key condition on the
 * chosen index or partition, the other filters as a FilterExpression), so a filtered page may hold
 * fewer than `limit` deals while `cursor` is not null.
 */
export class DealLister {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(plan: DealListPlan, tenantId: string, cursor: string | undefined): Promise<DealPage> {
    const filter = dealFilterExpression(plan.filter);
    const { index } = plan;
    const keyCondition = index ? `${index.pk} = :pk` : 'PK = :pk AND begins_with(SK, :prefix)';
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        ...(index ? { IndexName: index.name } : {}),
        KeyConditionExpression: keyCondition,
        ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ExpressionAttributeValues: { ':pk': plan.partition, ...(index ? {} : { ':prefix': plan.skPrefix }), ...filter.values },
        Limit: plan.limit,
        ExclusiveStartKey: decodeDealListCursor(cursor, plan, tenantId),
      }),
    );
    const deals = (result.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Deal);
    // The key and the filter already scope the page; the same rules in memory stay the last word.
    return { items: deals.filter((d) => matchesDealFilter(d, plan.filter)), cursor: encodeCursor(result.LastEvaluatedKey) };
  }
}

/** A cursor is accepted only for the list it came from: the same partition, a deal of the caller's tenant. */
export function decodeDealListCursor(cursor: string | undefined, plan: Pick<DealListPlan, 'index' | 'partition'>, tenantId: string): Record<string, unknown> | undefined {
  if (!plan.index) {
    const key = decodeCursor(cursor, plan.partition);
    if (key && !String(key.SK).startsWith(DEAL_SK_PREFIX)) throw new ValidationFailed([{ path: 'query.cursor', message: 'Not a cursor this list returned' }]);
    return key;
  }
  const customerPrefix = keys.customerPartition(tenantId, '');
  return decodeIndexCursor(cursor, plan.index, plan.partition, (key) => key.PK.startsWith(customerPrefix) && key.SK.startsWith(DEAL_SK_PREFIX));
}
