import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-items';
import { keys } from '../keys';

/** Which lead holds an email or phone (a lead's guards, keys.leadGuard): a dry run's look at a file's leads. */
export class LeadGuardRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** `email:<normalized>` / `phone:<normalized>` -> the lead holding it; one BatchGetItem per 100 distinct values. */
  async holders(tenantId: string, values: readonly string[]): Promise<Map<string, string>> {
    const distinct = [...new Set(values)];
    const guardKey = (value: string) => {
      const [field, ...rest] = value.split(':');
      return keys.leadGuard(tenantId, field as 'email' | 'phone', rest.join(':'));
    };
    const found = await batchGetAll(this.db, this.tableName, distinct.map(guardKey), { projection: 'PK, leadId' });
    const byPk = new Map(found.map((item) => [String(item.PK), String(item.leadId)]));
    return new Map(distinct.flatMap((value) => (byPk.has(guardKey(value).PK) ? [[value, byPk.get(guardKey(value).PK)!] as const] : [])));
  }
}
