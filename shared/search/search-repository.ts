import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../keys';
import type { SearchEntry } from './search-entry';
import type { Filter } from './search-visibility';

export interface SearchPage {
  entries: SearchEntry[];
  lastEvaluatedKey: Record<string, unknown> | undefined;
}

/**
 * Reads the word index (docs/search.md, access pattern S1): one Query per page on the partition
 * of the prefix's first characters, `begins_with` on the token, the caller's visibility as the
 * filter. `Limit` counts the items read before the filter, so a page may hold fewer than asked.
 */
export class SearchReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  partition(tenantId: string, prefix: string): string {
    return keys.searchShard(tenantId, prefix);
  }

  async page(tenantId: string, prefix: string, filter: Filter, limit: number, startKey: Record<string, unknown> | undefined): Promise<SearchPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': this.partition(tenantId, prefix), ':prefix': prefix, ...filter.values },
        ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    return { entries: (result.Items ?? []) as SearchEntry[], lastEvaluatedKey: result.LastEvaluatedKey };
  }
}
