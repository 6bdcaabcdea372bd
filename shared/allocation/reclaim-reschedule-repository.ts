import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type UpdateCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboxEvent } from '../customers/customer-repository';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { keys, TABLE_INDEXES } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { OwnedCustomerEntry, ReschedulePass } from './reclaim-reschedule-use-case';

/** One page of the tenant list, filtered to the pass's candidates. */
export interface OwnedCustomerPage {
  entries: OwnedCustomerEntry[];
  /** The tenant-list sort key to go on after; null when the tenant's list is done. */
  after: string | null;
}

const GSI4 = TABLE_INDEXES.gsi4;

/**
 * The owned customers a pass may have to reschedule, as a FilterExpression on the tenant list:
 * all owned ones for a tenant's first pool; for a policy change of pool P, those governed by P or
 * by no pool yet (`homePoolId` P, NULL or absent). The filter only trims the response: DynamoDB
 * charges the reads of every customer in the page either way.
 */
export function candidateFilter(pass: Pick<ReschedulePass, 'trigger' | 'poolId'>) {
  const owned = 'attribute_type(ownerId, :string)';
  if (pass.trigger === 'first-pool') return { expression: owned, values: { ':string': 'S' } as Record<string, unknown> };
  return {
    expression: `${owned} AND (homePoolId = :pool OR attribute_not_exists(homePoolId) OR attribute_type(homePoolId, :nullType))`,
    values: { ':string': 'S', ':pool': pass.poolId, ':nullType': 'NULL' } as Record<string, unknown>,
  };
}

/** `GSI4SK = <updatedAt>#<customerId>` back into the index key a Query starts after (the customer need not exist any more). */
export function tenantListStartKey(tenantId: string, after: string): Record<string, unknown> | undefined {
  const customerId = after.slice(after.lastIndexOf('#') + 1);
  if (!customerId || customerId === after) return undefined;
  return { ...keys.customer(tenantId, customerId), ...keys.tenantCustomers(tenantId), [GSI4.sk]: after };
}

/**
 * `reclaimCheckAt = <at>` with its reclaim-index (GSI2) keys, if the profile is live and still
 * owned by the owner the pass saw. Nothing else is written: not `version` or `updatedAt` (it is
 * bookkeeping, an editor's ETag stays valid), and no other index key, since the pass read only a
 * projection and must not write stale copies of them.
 */
export function scheduleCheckUpdate(tableName: string, tenantId: string, entry: Pick<OwnedCustomerEntry, 'customerId' | 'ownerId'>, at: string): UpdateCommandInput {
  const gsi2 = keys.reclaimCheck(tenantId, entry.customerId, at);
  return {
    TableName: tableName,
    Key: keys.customer(tenantId, entry.customerId),
    UpdateExpression: 'SET reclaimCheckAt = :at, #gsi2pk = :gsi2pk, #gsi2sk = :gsi2sk',
    ConditionExpression: `${LIVE_PROFILE_CONDITION} AND ownerId = :owner`,
    ExpressionAttributeNames: { '#gsi2pk': TABLE_INDEXES.gsi2.pk, '#gsi2sk': TABLE_INDEXES.gsi2.sk },
    ExpressionAttributeValues: {
      ...LIVE_PROFILE_VALUES,
      ':at': at,
      ':gsi2pk': gsi2.GSI2PK,
      ':gsi2sk': gsi2.GSI2SK,
      ':owner': entry.ownerId,
    },
  };
}

/**
 * Reads and writes of the reclaim reschedule pass: the tenant list (GSI4) page by page, oldest
 * update first; the pool whose policy changed; the check write; the continuation outbox item.
 */
export class RescheduleRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The pool's current policy version (strongly consistent: the event follows the commit closely); null when it does not exist. */
  async policyVersion(tenantId: string, poolId: string): Promise<number | null> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.pool(tenantId, poolId), ConsistentRead: true, ProjectionExpression: 'policyVersion' }),
    );
    if (!result.Item) return null;
    return typeof result.Item.policyVersion === 'number' ? result.Item.policyVersion : 1;
  }

  /**
   * Up to `limit` customers of the tenant list after `after`, oldest update first: a customer
   * edited during the pass moves to the end, so it is looked at again rather than skipped.
   */
  async ownedCustomersPage(pass: Pick<ReschedulePass, 'tenantId' | 'trigger' | 'poolId'>, after: string | null, limit: number): Promise<OwnedCustomerPage> {
    const filter = candidateFilter(pass);
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI4.name,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: filter.expression,
        ProjectionExpression: '#id, ownerId, homePoolId, reclaimCheckAt, #sk',
        ExpressionAttributeNames: { '#pk': GSI4.pk, '#sk': GSI4.sk, '#id': 'id' },
        ExpressionAttributeValues: { ':pk': keys.tenantCustomers(pass.tenantId).GSI4PK, ...filter.values },
        ScanIndexForward: true,
        Limit: limit,
        ExclusiveStartKey: after ? tenantListStartKey(pass.tenantId, after) : undefined,
      }),
    );
    const entries = (page.Items ?? []).flatMap((item): OwnedCustomerEntry[] =>
      typeof item.id === 'string' && typeof item.ownerId === 'string'
        ? [{
            customerId: item.id,
            ownerId: item.ownerId,
            homePoolId: typeof item.homePoolId === 'string' ? item.homePoolId : null,
            reclaimCheckAt: typeof item.reclaimCheckAt === 'string' ? item.reclaimCheckAt : null,
          }]
        : [],
    );
    const last = page.LastEvaluatedKey?.[GSI4.sk];
    return { entries, after: typeof last === 'string' ? last : null };
  }

  /** 'race' when the customer is gone, merged, erased or has another owner now: that write decided its check. */
  async scheduleCheck(tenantId: string, entry: Pick<OwnedCustomerEntry, 'customerId' | 'ownerId'>, at: string): Promise<'written' | 'race'> {
    try {
      await this.db.send(new UpdateCommand(scheduleCheckUpdate(this.tableName, tenantId, entry, at)));
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'race';
      throw error;
    }
  }

  /** The continuation event, as an outbox item in the pool's partition: the stream publishes it, the rule hands it back to this pass. */
  async continueLater(tenantId: string, poolId: string, event: OutboxEvent): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: outboxItem(keys.pool(tenantId, poolId).PK, event.detailType, event.detail) }));
  }
}
