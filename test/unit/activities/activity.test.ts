import { describe, expect, it } from 'vitest';
import { isFollowUp, logActivityInput, newActivity } from '../../../shared/activities/activity';
import { ValidationFailed } from '../../../shared/errors';
import { decodeCursor, decodeIndexCursor, encodeCursor, parseLimit } from '../../../shared/pagination';

const rep = { userId: 'rep-1', tenantId: 'acme', groups: ['rep' as const] };
const NOW = '2026-11-22T10:00:00.000Z';

describe('activities', () => {
  it('default to happening now and normalize occurredAt to UTC milliseconds', () => {
    expect(newActivity(logActivityInput.parse({ type: 'note' }), rep, 'c1', 'a1', NOW).occurredAt).toBe(NOW);
    expect(newActivity(logActivityInput.parse({ type: 'note', occurredAt: '2026-11-21T09:00:00Z' }), rep, 'c1', 'a1', NOW).occurredAt).toBe(
      '2026-11-21T09:00:00.000Z',
    );
  });

  it.each([
    ['call', 'user', true],
    ['meeting', 'user', true],
    ['note', 'user', true],
    ['purchase', 'user', false],
    ['web-visit', 'user', false],
    ['email', 'system', false],
  ] as const)('%s by a %s is a follow-up: %s', (type, actorType, expected) => {
    expect(isFollowUp({ type, actor: { type: actorType, id: 'x' } })).toBe(expected);
  });

  it('refuse a payload larger than 8 KB', () => {
    expect(logActivityInput.safeParse({ type: 'purchase', payload: { blob: 'x'.repeat(9000) } }).success).toBe(false);
  });
});

describe('cursors', () => {
  const key = { PK: 'T#acme#C#1', SK: 'ACT#2026#x' };

  it('round-trip for the partition they came from', () => {
    expect(decodeCursor(encodeCursor(key)!, 'T#acme#C#1')).toEqual(key);
  });

  it.each([
    ['another partition', encodeCursor({ PK: 'T#other#C#1', SK: 'ACT#' })!],
    ['extra attributes', encodeCursor({ ...key, GSI1PK: 'x' })!],
    ['garbage', 'not-base64-json'],
    ['an empty sort key', encodeCursor({ ...key, SK: '' })!],
    ['a sort key over 1024 bytes', encodeCursor({ ...key, SK: `ACT#${'é'.repeat(511)}` })!],
    ['a sort key that is no string', encodeCursor({ ...key, SK: 7 })!],
  ])('reject %s as a validation error on query.cursor', (_, cursor) => {
    expect(() => decodeCursor(cursor, 'T#acme#C#1')).toThrow(expect.objectContaining({ errors: [{ path: 'query.cursor', message: expect.any(String) }] }));
  });

  describe('of an index', () => {
    const index = { pk: 'GSI1PK', sk: 'GSI1SK' };
    const indexKey = { PK: 'T#acme#C#01JD0000000000000000000000', SK: 'PROFILE', GSI1PK: 'T#acme#OWNER#rep-1', GSI1SK: '2026-11-22T10:00:00.000Z' };
    const decode = (cursor: string) => decodeIndexCursor(cursor, index, 'T#acme#OWNER#rep-1', (k) => k.PK.startsWith('T#acme#C#') && k.SK === 'PROFILE');

    it('round-trip for the index partition they came from', () => {
      expect(decode(encodeCursor(indexKey)!)).toEqual(indexKey);
    });

    it.each([
      ['an empty index sort key', { ...indexKey, GSI1SK: '' }],
      ['an index sort key over 1024 bytes', { ...indexKey, GSI1SK: 'x'.repeat(1025) }],
      ['a table key over 2048 bytes', { ...indexKey, PK: `T#acme#C#${'x'.repeat(2048)}` }],
      ['a number for a key value', { ...indexKey, GSI1SK: 5 }],
    ])('reject %s naming query.cursor', (_, forged) => {
      expect(() => decode(encodeCursor(forged)!)).toThrow(expect.objectContaining({ errors: [{ path: 'query.cursor', message: expect.any(String) }] }));
    });
  });

  it('mean "no more" when there is no last key', () => {
    expect(encodeCursor(undefined)).toBeNull();
  });
});

describe('parseLimit', () => {
  it('defaults, accepts the range and names the field otherwise', () => {
    expect(parseLimit(undefined, 25, 100)).toBe(25);
    expect(parseLimit('100', 25, 100)).toBe(100);
    for (const bad of ['0', '101', '2.5', 'ten', '0x10', '1e1', ' 5', '']) expect(() => parseLimit(bad, 25, 100)).toThrow(ValidationFailed);
  });
});
