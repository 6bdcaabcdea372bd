import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import type { OutboxEvent } from '../customers/customer-repository';
import { StaleVersion } from '../errors';
import { keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { Pool } from './pool';
import { PoolNotFound } from './pool-errors';

/** What readers of pools need (access checks, the sweep's routing); the repository, or a stub in tests. */
export interface PoolReader {
  get(tenantId: string, poolId: string): Promise<Pool | undefined>;
}

/**
 * The tenant's default pool moved between this request's read and its write (a concurrent
 * create or PATCH won the race for the pointer). Nothing was written: read again and retry.
 */
export class DefaultPoolMoved extends Error {
  constructor() {
    super('The default pool moved while the write was prepared');
  }
}

const POOL_ATTRIBUTES = [
  'id', 'tenantId', 'name', 'description', 'members', 'routing', 'isDefault', 'policy', 'policyVersion',
  'createdAt', 'createdBy', 'updatedAt', 'updatedBy', 'version',
] as const satisfies readonly (keyof Pool)[];

export function toPool(item: Record<string, unknown>): Pool {
  return Object.fromEntries(POOL_ATTRIBUTES.map((a) => [a, item[a] ?? null])) as unknown as Pool;
}

/**
 * A tenant's pools live in one partition (`T#<t>#POOLS`): `POOL#<id>` items and the `DEFAULT`
 * pointer naming the default pool. Every change of the default is one transaction that moves the
 * pointer (conditional on where it pointed) and unsets the old default's flag (conditional on it
 * still being set), so concurrent changes cannot leave two defaults or none.
 */
export class PoolRepository implements PoolReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, poolId: string, consistent = false): Promise<Pool | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.pool(tenantId, poolId), ConsistentRead: consistent }));
    return result.Item ? toPool(result.Item) : undefined;
  }

  /** Every pool of the tenant, oldest first (ids are ULIDs): one Query, more pages only past 1 MB. */
  async list(tenantId: string): Promise<Pool[]> {
    const { PK, skPrefix } = keys.pools(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    return items.map(toPool);
  }

  /** The default pool's id as the pointer says (strongly consistent: writers decide on it); null before the first pool. */
  async defaultPoolId(tenantId: string): Promise<string | null> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.defaultPool(tenantId), ConsistentRead: true }));
    const poolId = result.Item?.poolId;
    return typeof poolId === 'string' ? poolId : null;
  }

  /**
   * Puts a new pool. When it is the default (`pool.isDefault`), the same transaction writes the
   * pointer (`currentDefaultId` null: the tenant's first pool, the pointer must not exist yet)
   * or moves it from `currentDefaultId` and unsets that pool's flag. Throws DefaultPoolMoved when
   * the pointer is not where the caller read it. `events` go to the outbox in the same
   * transaction, last.
   */
  async create(pool: Pool, currentDefaultId: string | null, events: OutboxEvent[] = []): Promise<void> {
    const items: NamedItem[] = [
      { name: 'pool', put: { TableName: this.tableName, Item: this.poolItem(pool), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...(pool.isDefault ? this.moveDefault(pool, currentDefaultId) : []),
      ...this.outbox(pool, events),
    ];
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failures.some((f) => f.name !== 'pool')) throw new DefaultPoolMoved();
      throw error;
    }
  }

  /**
   * Replaces the pool if it is still at `before.version`; when the update makes it the default,
   * moves the pointer and unsets the old default in the same transaction. Throws StaleVersion
   * (with the current version) or PoolNotFound for the pool itself, DefaultPoolMoved for the pointer.
   * `events` (a policy change) go to the outbox in the same transaction.
   */
  async update(before: Pool, after: Pool, currentDefaultId: string | null, events: OutboxEvent[] = []): Promise<void> {
    const items: NamedItem[] = [
      {
        name: 'pool',
        put: {
          TableName: this.tableName,
          Item: this.poolItem(after),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': before.version },
        },
        returnCurrent: true,
      },
      ...(after.isDefault && !before.isDefault ? this.moveDefault(after, currentDefaultId) : []),
      ...this.outbox(after, events),
    ];
    try {
      await transactWrite(this.db, items);
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.failed('pool')) {
        const current = error.current('pool');
        if (!current) throw new PoolNotFound(before.id);
        throw new StaleVersion('pool', Number(current.version));
      }
      throw new DefaultPoolMoved();
    }
  }

  /** Outbox items of pool events live in the pools partition, next to what they describe (`SK = $EVT#...`: no pool Query reads them). */
  private outbox(pool: Pool, events: OutboxEvent[]): NamedItem[] {
    const partition = keys.pool(pool.tenantId, pool.id).PK;
    return events.map((e, i) => ({ name: `event-${i}`, put: { TableName: this.tableName, Item: outboxItem(partition, e.detailType, e.detail) } }));
  }

  private poolItem(pool: Pool): Record<string, unknown> {
    return { ...keys.pool(pool.tenantId, pool.id), entity: 'Pool', ...pool };
  }

  /** The pointer write, and the old default's flag cleared (its version moves, so a PATCH based on the old copy answers 412). */
  private moveDefault(pool: Pool, currentDefaultId: string | null): NamedItem[] {
    const pointer = { ...keys.defaultPool(pool.tenantId), entity: 'DefaultPool', tenantId: pool.tenantId, poolId: pool.id, updatedAt: pool.updatedAt };
    if (currentDefaultId === null) {
      return [{ name: 'pointer', put: { TableName: this.tableName, Item: pointer, ConditionExpression: 'attribute_not_exists(PK)' } }];
    }
    if (currentDefaultId === pool.id) return [];
    return [
      {
        name: 'pointer',
        update: {
          TableName: this.tableName,
          Key: keys.defaultPool(pool.tenantId),
          UpdateExpression: 'SET poolId = :new, updatedAt = :at',
          ConditionExpression: 'poolId = :old',
          ExpressionAttributeValues: { ':new': pool.id, ':old': currentDefaultId, ':at': pool.updatedAt },
        },
      },
      {
        name: 'oldDefault',
        update: {
          TableName: this.tableName,
          Key: keys.pool(pool.tenantId, currentDefaultId),
          UpdateExpression: 'SET isDefault = :false, updatedAt = :at, updatedBy = :by ADD #version :one',
          ConditionExpression: 'isDefault = :true',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':false': false, ':true': true, ':at': pool.updatedAt, ':by': pool.updatedBy, ':one': 1 },
        },
      },
    ];
  }
}
