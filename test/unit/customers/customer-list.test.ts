import { describe, expect, it } from 'vitest';
import { decodeListCursor, filterExpression } from '../../../shared/customers/customer-list-repository';
import { matchesFilter, parseListQuery, planCustomerList, type QueryPlan } from '../../../shared/customers/customer-list-query';
import { Forbidden, ValidationFailed } from '../../../shared/errors';
import type { Caller } from '../../../shared/access/caller';

const admin: Caller = { userId: 'boss', tenantId: 'acme', groups: ['admin'] };
const rep: Caller = { userId: 'rep-1', tenantId: 'acme', groups: ['rep'] };
const plan = (query: Record<string, string>, caller = admin) => planCustomerList(parseListQuery(query), caller);
const queryPlan = (query: Record<string, string>, caller = admin) => plan(query, caller) as QueryPlan;

const pathsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors.map((e) => e.path);
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('parseListQuery', () => {
  it.each([
    [{ stage: 'prospect' }, ['query.stage']],
    [{ limit: '0' }, ['query.limit']],
    [{ limit: '101' }, ['query.limit']],
    [{ limit: 'ten' }, ['query.limit']],
    [{ updatedFrom: 'yesterday' }, ['query.updatedFrom']],
    [{ updatedFrom: '2026-11-02T00:00:00Z', updatedTo: '2026-11-01T00:00:00Z' }, ['query.updatedTo']],
    [{ email: 'not-an-email' }, ['query.email']],
    [{ phone: '030 1234' }, ['query.phone']],
    [{ email: 'a@b.example', phone: '+4930123456' }, ['query.phone']],
    [{ name: '&&' }, ['query.name']],
    [{ colour: 'red' }, ['query.colour']],
  ])('rejects %j naming %j', (query, paths) => {
    expect(pathsOf(() => parseListQuery(query))).toEqual(paths);
  });

  it('ignores absent parameters and normalizes email and phone', () => {
    expect(parseListQuery({ email: 'Ada@Example.COM', cursor: undefined as unknown as string })).toEqual({ email: 'ada@example.com' });
    expect(parseListQuery({ phone: '+49 30 123456' })).toEqual({ phone: '+4930123456' });
  });
});

describe('planCustomerList', () => {
  it('lists the whole tenant, most recently updated first, on the tenant index', () => {
    expect(queryPlan({})).toEqual({
      kind: 'query', index: expect.objectContaining({ name: 'GSI4' }), partition: 'T#acme#CUSTOMERS',
      sortKey: undefined, newestFirst: true, limit: 25, filter: { ownerId: undefined, stage: undefined, tag: undefined },
    });
  });

  it('keys on the stage index for a stage, with tag as a filter', () => {
    const p = queryPlan({ stage: 'customer', tag: 'vip', limit: '10' });
    expect([p.index.name, p.partition, p.limit, p.filter]).toEqual(['GSI5', 'T#acme#STAGE#customer', 10, { ownerId: undefined, tag: 'vip' }]);
  });

  it("keys on the owner's book for owner=me or a user id, with stage as a filter", () => {
    expect(queryPlan({ owner: 'me', stage: 'lead' })).toMatchObject({ partition: 'T#acme#OWNER#boss', filter: { stage: 'lead' } });
    expect(queryPlan({ owner: 'rep-7' }).partition).toBe('T#acme#OWNER#rep-7');
  });

  it('turns an updated range into a key condition in UTC, inclusive of the end instant', () => {
    expect(queryPlan({ updatedFrom: '2026-11-01T01:00:00+01:00', updatedTo: '2026-11-02T00:00:00Z' }).sortKey).toEqual({
      op: 'between', values: ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z~'],
    });
    expect(queryPlan({ updatedFrom: '2026-11-01T00:00:00Z' }).sortKey).toEqual({ op: '>=', values: ['2026-11-01T00:00:00.000Z'] });
    expect(queryPlan({ updatedTo: '2026-11-01T00:00:00Z' }).sortKey).toEqual({ op: '<=', values: ['2026-11-01T00:00:00.000Z~'] });
  });

  it('keys a name prefix on the name index (sorted by name) and filters the rest', () => {
    const p = queryPlan({ name: 'Müller &', stage: 'lead', updatedFrom: '2026-11-01T00:00:00Z' });
    expect([p.index.name, p.partition, p.sortKey, p.newestFirst]).toEqual(['GSI3', 'T#acme#NAME#m', { op: 'begins_with', values: ['muller'] }, false]);
    expect(p.filter).toEqual({ ownerId: undefined, stage: 'lead', tag: undefined, updatedFrom: '2026-11-01T00:00:00.000Z', updatedTo: undefined });
  });

  it('looks an exact email or phone up through its guard', () => {
    expect(plan({ email: 'ADA@x.example', stage: 'lead' })).toMatchObject({ kind: 'lookup', field: 'email', value: 'ada@x.example', filter: { stage: 'lead' } });
    expect(plan({ phone: '+49 30 123456' })).toMatchObject({ kind: 'lookup', field: 'phone', value: '+4930123456' });
  });

  it("confines a rep to their own book, whatever else they ask", () => {
    expect(queryPlan({}, rep).partition).toBe('T#acme#OWNER#rep-1');
    expect(queryPlan({ owner: 'me', stage: 'sql' }, rep)).toMatchObject({ partition: 'T#acme#OWNER#rep-1', filter: { stage: 'sql' } });
    expect(queryPlan({ name: 'ac' }, rep).filter.ownerId).toBe('rep-1');
    expect(plan({ email: 'a@b.example' }, rep).filter.ownerId).toBe('rep-1');
    expect(() => plan({ owner: 'rep-2' }, rep)).toThrow(Forbidden);
    expect(() => plan({}, { ...rep, groups: [] })).toThrow(Forbidden);
  });
});

describe('filterExpression', () => {
  it('is empty without filters and ANDs every condition with placeholders', () => {
    expect(filterExpression({}).expression).toBeUndefined();
    const f = filterExpression({ ownerId: 'u1', stage: 'lead', tag: 'vip', updatedFrom: 'a', updatedTo: 'b' });
    expect(f.expression).toBe('#f0 = :f0 AND #f1 = :f1 AND contains(#f2, :f2) AND #f3 >= :f3 AND #f4 <= :f4');
    expect(f.names).toEqual({ '#f0': 'ownerId', '#f1': 'lifecycleStage', '#f2': 'tags', '#f3': 'updatedAt', '#f4': 'updatedAt' });
    expect(f.values).toEqual({ ':f0': 'u1', ':f1': 'lead', ':f2': 'vip', ':f3': 'a', ':f4': 'b' });
  });
});

describe("a manager's scope", () => {
  const manager: Caller = { userId: 'mgr', tenantId: 'acme', groups: ['manager'], teamId: 'north' };

  it('filters every list to the team and the unowned', () => {
    const p = queryPlan({ stage: 'lead' }, manager);
    expect([p.index.name, p.filter.managedTeam]).toEqual(['GSI5', { teamId: 'north' }]);
    expect(queryPlan({ owner: 'rep-9' }, manager)).toMatchObject({ partition: 'T#acme#OWNER#rep-9', filter: { managedTeam: { teamId: 'north' } } });
    expect(queryPlan({}, { ...manager, teamId: undefined }).filter.managedTeam).toEqual({ teamId: null });
  });

  it('as a FilterExpression: unowned (NULL owner) or the team', () => {
    expect(filterExpression({ stage: 'lead', managedTeam: { teamId: 'north' } })).toEqual({
      expression: '#f0 = :f0 AND (attribute_type(#f1, :f1) OR #f2 = :f2)',
      names: { '#f0': 'lifecycleStage', '#f1': 'ownerId', '#f2': 'teamId' },
      values: { ':f0': 'lead', ':f1': 'NULL', ':f2': 'north' },
    });
    expect(filterExpression({ managedTeam: { teamId: null } }).expression).toBe('attribute_type(#f0, :f0)');
  });
});

describe('matchesFilter', () => {
  const profile = { ownerId: 'u1', teamId: 'north', lifecycleStage: 'lead', tags: ['vip'], updatedAt: '2026-11-10T00:00:00.000Z', name: 'ACME Tools' };
  it.each([
    [{}, true],
    [{ ownerId: 'u1', stage: 'lead', tag: 'vip', namePrefix: 'acme t' }, true],
    [{ ownerId: 'u2' }, false],
    [{ stage: 'sql' }, false],
    [{ tag: 'cold' }, false],
    [{ updatedFrom: '2026-11-11T00:00:00.000Z' }, false],
    [{ updatedTo: '2026-11-09T00:00:00.000Z' }, false],
    [{ namePrefix: 'tools' }, false],
    [{ managedTeam: { teamId: 'north' } }, true],
    [{ managedTeam: { teamId: 'south' } }, false],
    [{ managedTeam: { teamId: null } }, false],
  ])('%j -> %s', (filter, expected) => {
    expect(matchesFilter(profile, filter)).toBe(expected);
  });
});

describe('decodeListCursor', () => {
  const p = queryPlan({});
  const encode = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  const valid = { PK: 'T#acme#C#01J', SK: 'PROFILE', GSI4PK: 'T#acme#CUSTOMERS', GSI4SK: '2026-11-01T00:00:00.000Z#01J' };

  it('accepts a key of this list', () => {
    expect(decodeListCursor(encode(valid), p, 'acme')).toEqual(valid);
    expect(decodeListCursor(undefined, p, 'acme')).toBeUndefined();
  });

  it.each([
    ['another index partition', { ...valid, GSI4PK: 'T#other#CUSTOMERS' }],
    ["another tenant's item", { ...valid, PK: 'T#other#C#01J' }],
    ['not a profile', { ...valid, SK: 'CONTACT#1' }],
    ['extra attributes', { ...valid, x: '1' }],
    ['missing attributes', { PK: valid.PK, SK: valid.SK }],
    ['non-string values', { ...valid, GSI4SK: 5 }],
    ['not JSON', 'garbage'],
  ])('rejects %s', (_, key) => {
    const cursor = typeof key === 'string' ? key : encode(key);
    expect(pathsOf(() => decodeListCursor(cursor, p, 'acme'))).toEqual(['query.cursor']);
  });
});
