import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';

/**
 * Who holds a unique value (a lead's email or phone guard, a product's SKU item): a dry run's look
 * at a whole file, one BatchGetItem per 100 distinct keys.
 */
export class GuardHolderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Each value's holder (the guard's `attribute`), for the values whose guard exists. */
  async holders<V extends string>(values: readonly V[], keyOf: (value: V) => { PK: string; SK: string }, attribute: string): Promise<Map<V, string>> {
    const distinct = [...new Set(values)];
    const itemKey = (key: { PK: string; SK: string }) => `${key.PK}\u0000${key.SK}`;
    const found = await batchGetAll(this.db, this.tableName, distinct.map(keyOf), { projection: 'PK, SK, #holder', names: { '#holder': attribute } });
    const byKey = new Map(found.map((item) => [itemKey({ PK: String(item.PK), SK: String(item.SK) }), String(item[attribute])]));
    return new Map(distinct.flatMap((value) => (byKey.has(itemKey(keyOf(value))) ? [[value, byKey.get(itemKey(keyOf(value)))!] as const] : [])));
  }
}
