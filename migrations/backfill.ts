import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEAL_SK_PREFIX, keys } from '../shared/keys';
import { backfillSearchIndex } from '../shared/search/search-indexer-use-case';
import { SearchIndexRepository } from '../shared/search/search-index-repository';

/**
 * One-off backfills after a release that added an index to existing items (docs/operations.md,
 * "Backfills"): the deal owner list (GSI5, issue 14) and the search word index. Both are
 * idempotent and safe while the stage serves traffic: a deal is updated only at the version read,
 * and the search entries written are those of the item as it is now.
 */
export interface BackfillReport {
  scanned: number;
  dealsIndexed: number;
  searchIndexed: number;
}

/** Item kinds the search index holds: customer and lead profiles, contacts, deals. */
const searchable = (item: Record<string, unknown>) => {
  const sk = String(item.SK);
  return sk === 'PROFILE' || sk.startsWith('CONTACT#') || sk.startsWith(DEAL_SK_PREFIX);
};

export async function backfill(db: DynamoDBDocumentClient, tableName: string, log: (line: string) => void = () => undefined): Promise<BackfillReport> {
  const report: BackfillReport = { scanned: 0, dealsIndexed: 0, searchIndexed: 0 };
  const index = new SearchIndexRepository(db, tableName);
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, Limit: 500 }));
    const items = page.Items ?? [];
    report.scanned += items.length;
    for (const item of items) if (item.entity === 'Deal' && item.GSI5PK === undefined && (await indexDealOwner(db, tableName, item))) report.dealsIndexed++;
    report.searchIndexed += (await backfillSearchIndex(items.filter(searchable), index)).read;
    startKey = page.LastEvaluatedKey;
    log(`scanned ${report.scanned}, deals indexed ${report.dealsIndexed}, search records ${report.searchIndexed}`);
  } while (startKey);
  return report;
}

/** The deal's owner-list entry, at the version read; a deal written since has it already (every write puts it). */
async function indexDealOwner(db: DynamoDBDocumentClient, tableName: string, read: Record<string, unknown>): Promise<boolean> {
  let item: Record<string, unknown> | undefined = read;
  for (let attempt = 1; item && attempt <= 3; attempt++) {
    if (item.GSI5PK !== undefined) return false;
    // An unowned deal (its customer in a pool) is in no owner's list; a scrubbed or partial item is left alone.
    if (typeof item.ownerId !== 'string' || typeof item.tenantId !== 'string' || typeof item.status !== 'string' || typeof item.expectedCloseDate !== 'string') return false;
    const versioned = typeof item.version === 'number';
    try {
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { PK: item.PK, SK: item.SK },
          UpdateExpression: 'SET GSI5PK = :pk, GSI5SK = :sk',
          ConditionExpression: versioned ? '#version = :read' : 'attribute_not_exists(#version) AND attribute_not_exists(GSI5PK)',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':pk': keys.dealsOfOwner(item.tenantId, item.ownerId, item.status).GSI5PK,
            ':sk': keys.dealCloseSortKey(item.expectedCloseDate, String(item.id)),
            ...(versioned ? { ':read': item.version } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      item = (await db.send(new GetCommand({ TableName: tableName, Key: { PK: item.PK, SK: item.SK }, ConsistentRead: true }))).Item;
    }
  }
  return false;
}
