import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Activity } from '../activities/activity';
import { type OwnershipChange, ownershipHistoryItem } from '../allocation/ownership-history';
import { counterUpdate, leavingBook } from '../allocation/user-counters';
import { isTransactionConflict, type NamedItem, named, TransactionConditionFailed, type TransactItem, transactWrite } from '../aws/transact-write';
import { newId } from '../ids';
import { FIRST_RECORD_SK, INDEX_KEY_ATTRIBUTES, keys } from '../keys';
import { outboxItem } from '../outbox/outbox';
import type { UniqueValue } from './contact-points';
import type { Customer } from './customer';
import { type GuardPlan, isMovableRecord, movedRecord, takesSourceOwner } from './customer-merge';
import type { OutboxEvent } from './customer-repository';
import { profileUpdate } from './profile-item';

/** TransactWriteItems holds at most 100 items: a move is a Put and a Delete per record. */
export const MOVE_BATCH_RECORDS = 50;

/** Step 2 re-reads the source partition after a batch lost a race (another request moving the same records). */
const MAX_MOVE_RESTARTS = 5;

export interface MergeCommit {
  /** Both profiles as read: the writes are conditional on these versions. */
  survivor: Customer;
  source: Customer;
  merged: Customer;
  guards: GuardPlan;
  entries: { survivor: Activity; source: Activity };
  event: OutboxEvent;
}

/** Profile attributes a merge never writes on the survivor (lastFollowUpAt only when the source's is later). */
const FIXED: readonly (keyof Customer)[] = ['id', 'tenantId', 'kind', 'createdAt', 'createdBy', 'mergedInto', 'erasedAt'];

const LIVE = '(attribute_not_exists(mergedInto) OR mergedInto = :null) AND (attribute_not_exists(erasedAt) OR erasedAt = :null)';

/** A cancelled transaction that lost to another writer (a failed condition, or conflicts past the retries). */
function lostRace(error: unknown): boolean {
  return error instanceof TransactionConditionFailed || isTransactionConflict(error);
}

/**
 * The writes of a merge (docs/decisions.md, "Merging customers"). Step 1 (`commit`) is one
 * transaction: tombstone, survivor, guards, both merge entries and the event. Step 2
 * (`moveRecords`) moves the source's records in batches and can be run again until nothing is left.
 */
/**
 * A record of per-customer figures (the purchase figures...) that a merge adds onto the
 * survivor's own rather than moves: both customers have one under the same sort key.
 */
export interface FiguresMerger {
  sortKey: string;
  /** Writes that hold however often they run (a minimum, a maximum), done before the move's transaction. */
  before(record: Record<string, unknown>, to: string): Promise<void>;
  /** In place of the copy: the source's figures added onto the survivor's. */
  add(record: Record<string, unknown>, to: string): TransactItem;
  /** The source's record goes only as it was read (its figures moved meanwhile: read again). */
  removeCondition(record: Record<string, unknown>): { ConditionExpression: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };
}

export class CustomerMergeRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly figures: readonly FiguresMerger[] = [],
  ) {}

  /** Step 1. `conflict` when either profile or a guard changed since it was read: the caller re-reads and decides. */
  async commit(c: MergeCommit): Promise<'committed' | 'conflict'> {
    const items: NamedItem[] = [
      named('tombstone', this.tombstone(c)),
      named('survivor', this.survivorUpdate(c)),
      ...c.guards.move.map((u, i) => named(`repoint-${i}`, this.repointGuard(c, u))),
      ...c.guards.release.map((u, i) => named(`release-${i}`, this.releaseGuard(c, u))),
      named('survivorEntry', this.entry(c.merged.tenantId, c.entries.survivor)),
      named('sourceEntry', this.entry(c.merged.tenantId, c.entries.source)),
      { name: 'event', put: { TableName: this.tableName, Item: outboxItem(keys.customerPartition(c.merged.tenantId, c.merged.id), c.event.detailType, c.event.detail) } },
      ...this.ownership(c).map((item, i) => named(`ownership-${i}`, item)),
    ];
    try {
      await transactWrite(this.db, items);
      return 'committed';
    } catch (error) {
      if (lostRace(error)) return 'conflict';
      throw error;
    }
  }

  /**
   * Step 2: every record of the source partition goes to the survivor's partition with the same
   * sort key, a Put and a Delete per record, at most 50 records per transaction. Each Delete is
   * conditional on the copy that was read (its version, where it has one), so a record changed
   * meanwhile is re-read rather than overwritten. Returns how many records moved.
   */
  async moveRecords(tenantId: string, sourceId: string, survivorId: string): Promise<number> {
    const from = keys.customerPartition(tenantId, sourceId);
    const to = keys.customerPartition(tenantId, survivorId);
    let moved = 0;
    let restarts = 0;
    let startKey: Record<string, unknown> | undefined;
    for (;;) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK >= :first',
          ExpressionAttributeValues: { ':pk': from, ':first': FIRST_RECORD_SK },
          ConsistentRead: true,
          Limit: MOVE_BATCH_RECORDS,
          ExclusiveStartKey: startKey,
        }),
      );
      const records = (page.Items ?? []).filter(isMovableRecord);
      if (records.length > 0) {
        try {
          for (const record of records) await this.mergerOf(record)?.before(record, to);
          await transactWrite(this.db, records.flatMap((r, i) => this.movePair(r, i, to, survivorId)));
          moved += records.length;
        } catch (error) {
          if (!lostRace(error) || ++restarts > MAX_MOVE_RESTARTS) throw error;
          startKey = undefined;
          continue;
        }
      }
      startKey = page.LastEvaluatedKey;
      if (!startKey) return moved;
    }
  }

  /** The source becomes a pointer: mergedInto set, out of every list (all index keys removed). */
  private tombstone({ source, merged }: MergeCommit): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.customer(source.tenantId, source.id),
        UpdateExpression: `SET mergedInto = :survivor, updatedAt = :now, updatedBy = :by, #version = :next REMOVE ${INDEX_KEY_ATTRIBUTES.join(', ')}`,
        ConditionExpression: `attribute_exists(PK) AND #version = :expected AND ${LIVE}`,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: {
          ':survivor': merged.id,
          ':now': merged.updatedAt,
          ':by': merged.updatedBy,
          ':next': source.version + 1,
          ':expected': source.version,
          ':null': null,
        },
      },
    };
  }

  /**
   * The merged fields and fresh index keys, if the survivor is still at the version read. Its
   * lastFollowUpAt is written only when the source's is later, and then only if no newer one was
   * logged meanwhile (activity logging moves it without a version change).
   */
  private survivorUpdate({ survivor, merged }: MergeCommit): TransactItem {
    const followUpMoves = merged.lastFollowUpAt !== survivor.lastFollowUpAt;
    const fields = (Object.keys(merged) as (keyof Customer)[]).filter((f) => !FIXED.includes(f) && (f !== 'lastFollowUpAt' || followUpMoves));
    const set = profileUpdate(merged, fields);
    const followUpCondition = followUpMoves ? ' AND (attribute_not_exists(lastFollowUpAt) OR lastFollowUpAt = :null OR lastFollowUpAt < :f0)' : '';
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.customer(survivor.tenantId, survivor.id),
        UpdateExpression: set.UpdateExpression,
        ConditionExpression: `attribute_exists(PK) AND #version = :expected AND ${LIVE}${followUpCondition}`,
        ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: {
          ...set.ExpressionAttributeValues,
          ':expected': survivor.version,
          ':null': null,
          ...(followUpMoves ? { ':f0': merged.lastFollowUpAt } : {}),
        },
      },
    };
  }

  /**
   * The owners' side: a survivor that takes the source's owner records it in its ownership history
   * (the owner's counters stay: one customer for another); otherwise the source's owner loses the
   * source from their book (owned, and locked if it was).
   */
  private ownership({ survivor, source, merged }: MergeCommit): TransactItem[] {
    if (takesSourceOwner(survivor, source)) {
      const change: OwnershipChange = {
        id: newId(),
        customerId: merged.id,
        from: null,
        to: merged.ownerId,
        poolId: survivor.poolId,
        reason: 'merged',
        note: `Took the owner of ${source.id}, merged into this customer`,
        actor: { type: 'user', id: merged.updatedBy },
        at: merged.updatedAt,
      };
      return [{ Put: { TableName: this.tableName, Item: ownershipHistoryItem(merged.tenantId, change) } }];
    }
    const leaving = leavingBook(source);
    return leaving ? [counterUpdate(this.tableName, leaving)] : [];
  }

  private repointGuard({ source, merged }: MergeCommit, u: UniqueValue): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.uniqueGuard(source.tenantId, u.field, u.value),
        UpdateExpression: 'SET customerId = :survivor',
        ConditionExpression: 'customerId = :source',
        ExpressionAttributeValues: { ':survivor': merged.id, ':source': source.id },
      },
    };
  }

  private releaseGuard({ source }: MergeCommit, u: UniqueValue): TransactItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: keys.uniqueGuard(source.tenantId, u.field, u.value),
        ConditionExpression: 'customerId = :source',
        ExpressionAttributeValues: { ':source': source.id },
      },
    };
  }

  private entry(tenantId: string, activity: Activity): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...keys.activity(tenantId, activity.customerId, activity.occurredAt, activity.id), entity: 'Activity', ...activity },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  private mergerOf(record: Record<string, unknown>): FiguresMerger | undefined {
    return this.figures.find((m) => m.sortKey === record.SK);
  }

  private movePair(record: Record<string, unknown>, index: number, to: string, survivorId: string): NamedItem[] {
    const merger = this.mergerOf(record);
    const versioned = typeof record.version === 'number';
    const key = { PK: record.PK, SK: record.SK };
    if (merger) return [named(`copy-${index}`, merger.add(record, to)), { name: `remove-${index}`, delete: { TableName: this.tableName, Key: key, ...merger.removeCondition(record) } }];
    return [
      {
        name: `copy-${index}`,
        put: {
          TableName: this.tableName,
          Item: movedRecord(record, to, survivorId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        name: `remove-${index}`,
        delete: {
          TableName: this.tableName,
          Key: key,
          ConditionExpression: versioned ? 'attribute_exists(PK) AND #version = :version' : 'attribute_exists(PK)',
          ...(versioned ? { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': record.version } } : {}),
        },
      },
    ];
  }
}
