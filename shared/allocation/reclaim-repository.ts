import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { queryAllPages } from '../aws/query-all-pages';
import { type NamedItem, named, TransactionConditionFailed, type TransactItem, transactWrite } from '../aws/transact-write';
import type { Customer } from '../customers/customer';
import type { OutboxEvent } from '../customers/customer-repository';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { profileUpdate } from '../customers/profile-item';
import { keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import type { Pool } from '../pools/pool';
import { reclaimPolicySchema } from '../pools/reclaim-policy';
import type { Book } from './book-move';
import { readBook } from './book-repository';
import { type OwnershipChange, ownershipRecordPuts } from './ownership-history';
import { type CounterChange, counterUpdate } from './user-counters';

type Key = Record<string, unknown>;

/** One entry of the reclaim index: enough to find the profile, and to size its outcome. */
export interface DueEntry {
  tenantId: string;
  customerId: string;
  checkAt: string;
  ownerId: string | null;
  name: string | null;
}

export interface DuePage {
  entries: DueEntry[];
  /** Where the next page starts; undefined when the shard has nothing more due. */
  next?: Key;
}

/** A sweep write: the profile as read, as it should be, the fields written, and what commits with it. */
export interface SweepWrite {
  before: Customer;
  after: Customer;
  fields: readonly (keyof Customer)[];
  /** The previous owner's book counters (leavingBook), unbounded. */
  counters?: CounterChange[];
  history?: OwnershipChange;
  events?: OutboxEvent[];
  /** The customer's open deals going unowned with it (book-move.ts), each at the version read. */
  book?: NamedItem[];
}

/** `GSI2SK = <checkAt>#<tenantId>#<customerId>`: ISO times hold no `#`, customer ids (ULIDs) neither. */
export function parseReclaimSortKey(sortKey: string): Pick<DueEntry, 'checkAt' | 'tenantId' | 'customerId'> | undefined {
  const first = sortKey.indexOf('#');
  const last = sortKey.lastIndexOf('#');
  if (first <= 0 || last <= first + 1 || last === sortKey.length - 1) return undefined;
  return { checkAt: sortKey.slice(0, first), tenantId: sortKey.slice(first + 1, last), customerId: sortKey.slice(last + 1) };
}

/** A pool item as the pools API writes it; one whose policy no longer parses is left out (and logged by the caller). */
export function toSweepPool(item: Record<string, unknown>): Pool | undefined {
  const record = withoutStorageAttributes(item) as unknown as Pool;
  const policy = reclaimPolicySchema.safeParse(record.policy);
  if (!policy.success || typeof record.id !== 'string') return undefined;
  return {
    ...record,
    routing: { industries: record.routing?.industries ?? [], regions: record.routing?.regions ?? [] },
    isDefault: record.isDefault === true,
    policy: policy.data,
    policyVersion: typeof record.policyVersion === 'number' ? record.policyVersion : 1,
  };
}

/**
 * The reclaim sweep's reads and writes. Reads: one Query page of one shard of the sparse GSI2
 * (only due entries: `GSI2SK <= <now>~`), the profile, the tenant's pools (one Query). Writes: conditional on the profile as read, so a follow-up, claim, lock, edit or a
 * second sweep that got there first makes the write fail instead of being overwritten.
 */
export class ReclaimRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** What a reclaim moves with the customer (book-repository.ts). */
  book(tenantId: string, customerId: string): Promise<Book> {
    return readBook(this.db, this.tableName, tenantId, customerId);
  }

  /** Up to `limit` entries of `shard` due at `nowIso`, earliest first. */
  async findDue(shard: number, nowIso: string, limit: number, startKey?: Key): Promise<DuePage> {
    const index = TABLE_INDEXES.gsi2;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :upTo',
        // Read capacity counts whole index items whatever is projected; this keeps the response small.
        ProjectionExpression: '#sk, ownerId, #name',
        ExpressionAttributeNames: { '#pk': index.pk, '#sk': index.sk, '#name': 'name' },
        // `~` sorts after `#` and every id character: every entry checked at `nowIso` or earlier.
        ExpressionAttributeValues: { ':pk': keys.reclaimShard(shard), ':upTo': `${nowIso}~` },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
    const entries = (page.Items ?? []).flatMap((item): DueEntry[] => {
      const parsed = parseReclaimSortKey(String(item[index.sk] ?? ''));
      if (!parsed) return [];
      return [{ ...parsed, ownerId: typeof item.ownerId === 'string' ? item.ownerId : null, name: typeof item.name === 'string' ? item.name : null }];
    });
    return { entries, next: page.LastEvaluatedKey };
  }

  /**
   * The raw profile item (the sweep validates what it needs). Eventually consistent, at half the
   * price of a strong read: every write of the sweep is conditional on the profile as read, so a
   * stale copy can only make the write fail (skipped, looked at again next run), never act.
   */
  async getProfile(tenantId: string, customerId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(tenantId, customerId) }));
    return result.Item;
  }

  /** Every pool of the tenant: one Query of its pools partition. */
  async pools(tenantId: string): Promise<{ pools: Pool[]; unreadable: string[] }> {
    const { PK, skPrefix } = keys.pools(tenantId);
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': skPrefix },
    });
    const pools: Pool[] = [];
    const unreadable: string[] = [];
    for (const item of items) {
      const pool = toSweepPool(item);
      if (pool) pools.push(pool);
      else unreadable.push(String(item.SK));
    }
    return { pools, unreadable };
  }

  /**
   * Writes the profile change (and its history, counters and events, in one transaction) if the
   * profile is live and still as read: same version, owner, assignment, last follow-up, lock and
   * check time. 'race' when anything of that moved: the other writer wins, the next run looks again.
   */
  async write(change: SweepWrite): Promise<'written' | 'race'> {
    const { before, after } = change;
    const set = profileUpdate(after, change.fields);
    const condition = asRead(before);
    const profile = {
      TableName: this.tableName,
      Key: keys.customer(before.tenantId, before.id),
      UpdateExpression: set.UpdateExpression,
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: { ...set.ExpressionAttributeNames, ...condition.names },
      ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ...condition.values },
    };
    const extras = this.extras(change);
    try {
      if (extras.length === 0 && !change.book?.length) await this.db.send(new UpdateCommand(profile));
      else await transactWrite(this.db, [{ name: 'profile', update: profile }, ...extras.map((item, i) => named(`extra-${i}`, item)), ...(change.book ?? [])]);
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'race';
      if (error instanceof TransactionConditionFailed) {
        // A deal edited since its read is a race like the profile's: the next run looks again.
        if (error.failed('profile') || (change.book ?? []).some((item) => error.failed(item.name))) return 'race';
        // The sweep tells retryable cancellations by DynamoDB's reasons (reclaim-errors.ts): hand it those.
        throw error.cause;
      }
      throw error;
    }
  }

  private extras({ before, counters = [], history, events = [] }: SweepWrite): TransactItem[] {
    return [...counters.map((c) => counterUpdate(this.tableName, c)), ...ownershipRecordPuts(this.tableName, before, history, events)];
  }
}

/** "Still as read": live, and every attribute the decision rested on unchanged (NULL or absent for null). */
function asRead(before: Customer) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ...LIVE_PROFILE_VALUES };
  const parts = [LIVE_PROFILE_CONDITION];
  const attributes: [keyof Customer, unknown][] = [
    ['version', before.version],
    ['ownerId', before.ownerId],
    ['assignedAt', before.assignedAt],
    ['lastFollowUpAt', before.lastFollowUpAt],
    ['reclaimCheckAt', before.reclaimCheckAt],
  ];
  attributes.forEach(([attribute, value], i) => {
    names[`#r${i}`] = attribute;
    if (value === null) parts.push(`(attribute_not_exists(#r${i}) OR #r${i} = :liveNull)`);
    else {
      values[`:r${i}`] = value;
      parts.push(`#r${i} = :r${i}`);
    }
  });
  // Older profiles may lack `locked` (read as false).
  names['#locked'] = 'locked';
  values[':locked'] = before.locked;
  parts.push(before.locked ? '#locked = :locked' : '(attribute_not_exists(#locked) OR #locked = :locked)');
  return { expression: parts.join(' AND '), names, values };
}
