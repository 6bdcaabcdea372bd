import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { keys, withoutStorageAttributes } from '../keys';
import type { SlaPolicyRecord } from './sla-policies';

/** A tenant's SLA policies in one partition of the table (keys.slaPolicy). */
export class SlaPolicyRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** Every policy of the tenant, by id: one Query (they are few). */
  async list(tenantId: string): Promise<SlaPolicyRecord[]> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.slaPolicies(tenantId) },
      ConsistentRead: true,
    });
    return items.map((item) => withoutStorageAttributes(item) as unknown as SlaPolicyRecord);
  }

  /** Writes the policy over the version read (0: it must not exist yet); false when someone wrote first. */
  async put(policy: SlaPolicyRecord, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.slaPolicy(policy.tenantId, policy.id), entity: 'SlaPolicy', ...policy },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :expected',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
