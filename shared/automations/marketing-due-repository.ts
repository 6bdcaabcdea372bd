import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys, TABLE_INDEXES } from '../keys';
import { type DueEntry, dueUpTo, toDueEntry } from './marketing-due';

/**
 * The marketing-due index (GSI2 `MKTDUE`): the sweep's Query, and the two conditional writes on
 * an entry's item that keep concurrent runs apart: claim (move the sort key to the lease's end)
 * and finish (leave the index), each only if the sort key is still the one this run saw or set.
 */
export class MarketingDueRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One page of entries due at `nowIso`, oldest first, and where the next page starts (undefined: none). */
  async due(nowIso: string, limit: number, startKey?: Record<string, unknown>): Promise<{ entries: DueEntry[]; skipped: number; next?: Record<string, unknown> }> {
    const { gsi2 } = TABLE_INDEXES;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: gsi2.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
        ExpressionAttributeNames: { '#pk': gsi2.pk, '#sk': gsi2.sk },
        ExpressionAttributeValues: { ':pk': keys.marketingDuePartition, ':upTo': dueUpTo(nowIso) },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = result.Items ?? [];
    const entries = items.map(toDueEntry).filter((e): e is DueEntry => e !== undefined);
    return { entries, skipped: items.length - entries.length, next: result.LastEvaluatedKey };
  }

  /**
   * Takes the entry for this run until `leasedSortKey` falls due, if no other run took it since it
   * was read (the index is eventually consistent: a claimed entry may still be listed). Answers the
   * attempts so far, this one included, or undefined when another run has it.
   */
  async claim(entry: DueEntry, leasedSortKey: string): Promise<number | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: entry.PK, SK: entry.SK },
          UpdateExpression: 'SET #sk = :leased ADD dueAttempts :one',
          ConditionExpression: '#sk = :seen',
          ExpressionAttributeNames: { '#sk': TABLE_INDEXES.gsi2.sk },
          ExpressionAttributeValues: { ':leased': leasedSortKey, ':seen': entry.sortKey, ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.dueAttempts ?? 1);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Takes the entry off the index with its outcome, if this run still holds it; false when it does not. */
  async finish(entry: Pick<DueEntry, 'PK' | 'SK'>, leasedSortKey: string, outcome: string, nowIso: string): Promise<boolean> {
    const { gsi2 } = TABLE_INDEXES;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: entry.PK, SK: entry.SK },
          UpdateExpression: 'SET dueOutcome = :outcome, dueFinishedAt = :now REMOVE #pk, #sk',
          ConditionExpression: '#sk = :leased',
          ExpressionAttributeNames: { '#pk': gsi2.pk, '#sk': gsi2.sk },
          ExpressionAttributeValues: { ':outcome': outcome, ':now': nowIso, ':leased': leasedSortKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
