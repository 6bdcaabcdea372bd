import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEAL_SK_PREFIX, keys } from '../keys';
import type { EntryChanges } from './search-entry';

const WRITE_BATCH = 25;
const UNPROCESSED_ATTEMPTS = 8;
const CONTACT_SK_PREFIX = 'CONTACT#';

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * The indexer's storage: the profile a contact or deal is found through, the records inside a
 * customer (when its readers change, theirs do), and the index items themselves, written with
 * BatchWriteItem (unconditional: the stream hands one customer's changes over in order).
 */
export class SearchIndexRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Strongly consistent: the profile as it is now, not as it was before the change being indexed. */
  async profile(tenantId: string, customerId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId), ConsistentRead: true }));
    return result.Item;
  }

  /** The contacts and deals of a customer: one key range of its partition (`CONTACT#` .. `DEAL#`), paged. */
  async recordsOf(tenantId: string, customerId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.customerPartition(tenantId, customerId), ':from': CONTACT_SK_PREFIX, ':to': `${DEAL_SK_PREFIX}\uffff` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []).filter((item) => String(item.SK).startsWith(CONTACT_SK_PREFIX) || String(item.SK).startsWith(DEAL_SK_PREFIX)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async write(changes: EntryChanges): Promise<void> {
    const requests: WriteRequest[] = [
      ...changes.remove.map((Key) => ({ DeleteRequest: { Key } })),
      ...changes.put.map((Item) => ({ PutRequest: { Item: Item as unknown as Record<string, unknown> } })),
    ];
    for (let i = 0; i < requests.length; i += WRITE_BATCH) {
      let pending = requests.slice(i, i + WRITE_BATCH);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > UNPROCESSED_ATTEMPTS) throw new Error(`BatchWriteItem left ${pending.length} search index writes unprocessed`);
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
        const { UnprocessedItems } = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (UnprocessedItems?.[this.tableName] ?? []) as WriteRequest[];
      }
    }
  }
}
