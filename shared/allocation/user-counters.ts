import { clock } from '../clock';
import type { Customer } from '../customers/customer';
import { keys, TTL_ATTRIBUTE } from '../keys';

/**
 * A user's allocation counters (docs/allocation.md): `T#<t>#USER#<id>` / `BOOK` `{owned, locked}`
 * and `/ CLAIMS#<day>` `{count}`. Every write that changes who owns a customer, or whether it is
 * locked, changes them in the same transaction, so they never drift from the profiles; the caps
 * are conditions on them. Free of other modules' repositories, so every writer can use it.
 */

/** Daily claim counters only need to outlive their day (UTC) and a little clock skew. */
export const DAILY_CLAIMS_TTL_SECONDS = 2 * 24 * 3600;

export type CounterName = 'owned' | 'locked' | 'count';

/**
 * An ADD to a counter item, optionally bounded: `below` lets the counter reach but never pass a
 * limit (`attribute < limit` before the add; a missing counter counts as 0).
 */
export interface CounterChange {
  /** How a refusal is reported back. */
  tag: 'dailyClaims' | 'book' | 'previousOwnerBook';
  key: { PK: string; SK: string };
  entity: 'UserBookCounters' | 'UserDailyClaims';
  add: Partial<Record<CounterName, number>>;
  below?: { counter: CounterName; limit: number };
  /** Epoch seconds after which DynamoDB's TTL may delete the item. */
  expiresAt?: number;
}

export const bookCounter = (
  tenantId: string,
  userId: string,
  add: CounterChange['add'],
  below?: CounterChange['below'],
  tag: CounterChange['tag'] = 'book',
): CounterChange => ({
  tag,
  key: keys.userBookCounters(tenantId, userId),
  entity: 'UserBookCounters',
  add,
  ...(below ? { below } : {}),
});

export const dailyClaimsCounter = (tenantId: string, userId: string, day: string, limit: number, claims = 1): CounterChange => ({
  tag: 'dailyClaims',
  key: keys.userDailyClaims(tenantId, userId, day),
  entity: 'UserDailyClaims',
  add: { count: claims },
  below: { counter: 'count', limit },
  expiresAt: clock.epochSeconds() + DAILY_CLAIMS_TTL_SECONDS,
});

/** The owner's book loses this customer (released, transferred, merged away, erased): owned -1, locked -1 if it was. */
export function leavingBook(customer: Pick<Customer, 'tenantId' | 'ownerId' | 'locked'>, tag: CounterChange['tag'] = 'book'): CounterChange | undefined {
  if (customer.ownerId === null) return undefined;
  return bookCounter(customer.tenantId, customer.ownerId, { owned: -1, ...(customer.locked ? { locked: -1 } : {}) }, undefined, tag);
}

/** The UpdateItem of a counter change, for a TransactWriteItems. */
export function counterUpdate(tableName: string, change: CounterChange) {
  const adds = Object.entries(change.add);
  // Counter names are fixed words (owned, locked, count): each is its own placeholder.
  const names: Record<string, string> = { '#entity': 'entity', ...Object.fromEntries(adds.map(([name]) => [`#${name}`, name])) };
  const values: Record<string, unknown> = { ':entity': change.entity, ...Object.fromEntries(adds.map(([name, n]) => [`:${name}`, n])) };
  let set = 'SET #entity = :entity';
  if (change.expiresAt !== undefined) {
    set += ', #ttl = :ttl';
    names['#ttl'] = TTL_ATTRIBUTE;
    values[':ttl'] = change.expiresAt;
  }
  let condition: string | undefined;
  if (change.below) {
    const capped = `#${change.below.counter}`;
    names[capped] = change.below.counter;
    values[':limit'] = change.below.limit;
    // A missing counter is 0, which is below any positive limit; a limit of 0 or less admits nothing.
    condition = change.below.limit > 0 ? `attribute_not_exists(${capped}) OR ${capped} < :limit` : `${capped} < :limit`;
  }
  return {
    Update: {
      TableName: tableName,
      Key: change.key,
      UpdateExpression: `${set} ADD ${adds.map(([name]) => `#${name} :${name}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(condition ? { ConditionExpression: condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
    },
  };
}
