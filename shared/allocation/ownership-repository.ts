import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type NamedItem, named, TransactionConditionFailed, transactWrite } from '../aws/transact-write';
import type { Customer } from '../customers/customer';
import type { OutboxEvent } from '../customers/customer-repository';
import { toCustomer } from '../customers/customer-repository';
import { LIVE_PROFILE_CONDITION, LIVE_PROFILE_VALUES } from '../customers/live-profile';
import { profileUpdate, withoutUnchangedCheck } from '../customers/profile-item';
import { keys } from '../keys';
import type { Book } from './book-move';
import { readBook } from './book-repository';
import { MAX_CLAIMS_PER_REQUEST } from '../pools/reclaim-policy';
import { type OwnershipChange, ownershipRecordPuts } from './ownership-history';
import { type CounterChange, counterUpdate } from './user-counters';

export type { CounterChange } from './user-counters';

/** Concurrent claims of one rep all add to the same counters: allow a longer queue than the default. */
const CONFLICT_ATTEMPTS = 10;

const profileName = (change: number) => `profile-${change}`;
const counterName = (counter: number) => `counter-${counter}`;

/** One customer's part of an ownership operation: the profile's new state and its records. */
export interface ProfileChange {
  before: Customer;
  after: Customer;
  /** The profile fields this operation owns; nothing else of the profile is written. */
  fields: readonly (keyof Customer)[];
  /** Extra profile condition on top of "live and still at the version read" (e.g. the claim's cooldown). */
  condition?: { expression: string; values: Record<string, unknown> };
  history?: OwnershipChange;
  events: OutboxEvent[];
  /** The customer's book moving with it (book-move.ts): open deals and tasks, each at the version read. */
  book?: readonly NamedItem[];
}

/** One ownership operation on one customer, with the counters that move with it. */
export interface OwnershipWrite extends ProfileChange {
  counters: CounterChange[];
}

/** Several customers changing hands at once (a bulk claim): all of them and the counters, or nothing. */
export interface OwnershipBatch {
  changes: ProfileChange[];
  counters: CounterChange[];
}

/** DynamoDB's TransactWriteItems takes at most 100 items: 3 per customer and the counters. */
export const MAX_BATCH_CHANGES = MAX_CLAIMS_PER_REQUEST;

/** A change's own items in the transaction, its book aside: the profile, the history entry, the events. */
export const changeRecords = (change: Pick<ProfileChange, 'history' | 'events'>): number => 1 + (change.history ? 1 : 0) + change.events.length;

export type CommitResult =
  | { ok: true }
  /** The profile moved on (or is gone): `current` is what it is now, from the failed condition. */
  | { ok: false; refused: 'profile'; current: Customer | undefined }
  /** A bounded counter is at its limit; `value` is what it holds. */
  | { ok: false; refused: 'counter'; counter: CounterChange; value: number };

/** As CommitResult, naming every change whose profile moved on (by position), with what it is now. */
export type BatchCommitResult =
  | Exclude<CommitResult, { refused: 'profile' }>
  | { ok: false; refused: 'profile'; profiles: Map<number, Customer | undefined> };

export interface UserCounts {
  owned: number;
  locked: number;
  claimedToday: number;
}

/**
 * Ownership writes (claim, release, assignment, lock): one TransactWriteItems each, whose
 * conditions are the rules: the profile only if it is still the version read, every capped
 * counter only while below its cap. Read-then-write decides nothing here.
 */
export class OwnershipRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async commit(write: OwnershipWrite): Promise<CommitResult> {
    const result = await this.commitBatch({ changes: [write], counters: write.counters });
    if (result.ok || result.refused === 'counter') return result;
    return { ok: false, refused: 'profile', current: result.profiles.get(0) };
  }

  /**
   * Items: the profiles first, then the counters, then every history entry and event, then each
   * change's book. A book item that changed meanwhile counts as its customer's profile having
   * moved on (reported with the profile as it is now, read again): the operation reads
   * everything again.
   */
  async commitBatch({ changes, counters }: OwnershipBatch): Promise<BatchCommitResult> {
    if (changes.length === 0 || changes.length > MAX_BATCH_CHANGES) throw new RangeError(`A batch holds 1 to ${MAX_BATCH_CHANGES} changes`);
    const books = changes.map((change, i) => (change.book ?? []).map((item) => ({ ...item, name: `${profileName(i)}/${item.name}` })));
    const items = [
      ...changes.map((change, i) => this.profile(change, profileName(i))),
      ...counters.map((c, i) => named(counterName(i), counterUpdate(this.tableName, c))),
      ...changes
        .flatMap((change) => ownershipRecordPuts(this.tableName, change.after, change.history, change.events))
        .map((item, i) => named(`record-${i}`, item)),
      ...books.flat(),
    ];
    try {
      await transactWrite(this.db, items, { conflictAttempts: CONFLICT_ATTEMPTS });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      const profiles = new Map<number, Customer | undefined>();
      const rereads: Promise<void>[] = [];
      changes.forEach((change, i) => {
        if (error.failed(profileName(i))) {
          const current = error.current(profileName(i));
          profiles.set(i, current ? toCustomer(current) : undefined);
        } else if (books[i]!.some((item) => error.failed(item.name))) {
          rereads.push(this.currentProfile(change.after).then((current) => void profiles.set(i, current)));
        }
      });
      await Promise.all(rereads);
      if (profiles.size > 0) return { ok: false, refused: 'profile', profiles: new Map([...profiles].sort(([a], [b]) => a - b)) };
      for (const [i, counter] of counters.entries()) {
        if (counter.below && error.failed(counterName(i))) {
          return { ok: false, refused: 'counter', counter, value: Number(error.current(counterName(i))?.[counter.below.counter] ?? 0) };
        }
      }
      throw error;
    }
  }

  /**
   * A user's counters (and, given a day, their claims on it), for clear refusals before a write;
   * the write's conditions are the enforcement.
   */
  async counts(tenantId: string, userId: string, day?: string): Promise<UserCounts> {
    const get = (key: { PK: string; SK: string }) => this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    const [book, daily] = await Promise.all([
      get(keys.userBookCounters(tenantId, userId)),
      day === undefined ? undefined : get(keys.userDailyClaims(tenantId, userId, day)),
    ]);
    const n = (value: unknown) => (typeof value === 'number' ? value : 0);
    return { owned: n(book.Item?.owned), locked: n(book.Item?.locked), claimedToday: n(daily?.Item?.count) };
  }

  /** The customer's open deals and tasks, read consistently (book-repository.ts). */
  book(tenantId: string, customerId: string): Promise<Book> {
    return readBook(this.db, this.tableName, tenantId, customerId);
  }

  private async currentProfile(customer: { tenantId: string; id: string }): Promise<Customer | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.customer(customer.tenantId, customer.id), ConsistentRead: true }));
    return Item ? toCustomer(Item) : undefined;
  }

  private profile({ before, after, fields, condition }: ProfileChange, name: string): NamedItem {
    const set = profileUpdate(after, withoutUnchangedCheck(fields, before, after));
    return {
      name,
      returnCurrent: true,
      update: {
        TableName: this.tableName,
        Key: keys.customer(after.tenantId, after.id),
        UpdateExpression: set.UpdateExpression,
        ConditionExpression: `${LIVE_PROFILE_CONDITION} AND #readVersion = :readVersion${condition ? ` AND (${condition.expression})` : ''}`,
        ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#readVersion': 'version' },
        ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ...LIVE_PROFILE_VALUES, ':readVersion': before.version, ...condition?.values },
      },
    };
  }
}
