import { ValidationFailed } from './errors';

/**
 * DynamoDB's key value limits: a partition key value of 1 to 2048 bytes, a sort key value of 1 to
 * 1024 bytes (UTF-8), on the table and on every index. A cursor's key values are client input: a
 * value outside them would reach DynamoDB as an ExclusiveStartKey it refuses (a 500), so it is a
 * 400 naming `query.cursor` here, like any other forged cursor.
 */
export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const fitsKey = (value: unknown, maxBytes: number): value is string =>
  typeof value === 'string' && value.length > 0 && Buffer.byteLength(value, 'utf8') <= maxBytes;

/**
 * Opaque cursors: the LastEvaluatedKey, base64url-encoded. A cursor is only accepted for the
 * partition it came from, so a forged cursor cannot reach another customer's or tenant's items.
 */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  return lastEvaluatedKey ? Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined, expectedPartition: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key && typeof key === 'object' && key.PK === expectedPartition && fitsKey(key.SK, MAX_SORT_KEY_BYTES) && Object.keys(key).length === 2) return key;
  } catch {
    // reported below
  }
  throw new ValidationFailed([{ path: 'query.cursor', message: 'Not a cursor this list returned' }]);
}

export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const limit = /^[0-9]{1,4}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationFailed([{ path: 'query.limit', message: `Expected a whole number from 1 to ${max}` }]);
  }
  return limit;
}

/**
 * A cursor of a Query on a secondary index: its LastEvaluatedKey (the table key and the index key,
 * all strings), accepted only for the index partition it came from and only when the table key
 * names an item of the listed kind (`isListedItem`: e.g. a customer profile of the caller's
 * tenant), every key value within DynamoDB's limits. Anything else, a forged or foreign cursor included, is a 400 naming `query.cursor`.
 */
export function decodeIndexCursor(
  cursor: string | undefined,
  index: { pk: string; sk: string },
  partition: string,
  isListedItem: (key: { PK: string; SK: string }) => boolean,
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const expected = ['PK', 'SK', index.pk, index.sk].sort();
    const valid =
      key !== null &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      JSON.stringify(Object.keys(key).sort()) === JSON.stringify(expected) &&
      fitsKey(key.PK, MAX_PARTITION_KEY_BYTES) &&
      fitsKey(key.SK, MAX_SORT_KEY_BYTES) &&
      fitsKey(key[index.pk], MAX_PARTITION_KEY_BYTES) &&
      fitsKey(key[index.sk], MAX_SORT_KEY_BYTES) &&
      key[index.pk] === partition &&
      isListedItem(key as { PK: string; SK: string });
    if (valid) return key as Record<string, string>;
  } catch {
    // reported below
  }
  throw new ValidationFailed([{ path: 'query.cursor', message: 'Not a cursor this list returned' }]);
}
