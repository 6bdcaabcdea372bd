import { ValidationFailed } from './errors';

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
    if (key && typeof key === 'object' && key.PK === expectedPartition && typeof key.SK === 'string' && Object.keys(key).length === 2) return key;
  } catch {
    // reported below
  }
  throw new ValidationFailed([{ path: 'query.cursor', message: 'Not a cursor this list returned' }]);
}

export function parseLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new ValidationFailed([{ path: 'query.limit', message: `Expected a whole number from 1 to ${max}` }]);
  }
  return limit;
}
