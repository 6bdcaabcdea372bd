import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import {
  applyPoolPatch,
  createPoolInput,
  defaultPool,
  isPoolMember,
  newPool,
  type Pool,
  poolPatch,
  routePool,
  routingSpecificity,
} from '../../../shared/pools/pool';
import { policyInput } from './policy-fixtures';

const caller = (groups: Caller['groups'], userId = 'u-1', tenantId = 'acme'): Caller => ({ userId, tenantId, groups });
const NOW = '2026-03-01T09:00:00.000Z';
const LATER = '2026-03-02T09:00:00.000Z';

const create = (body: Record<string, unknown>, id = 'p-1', at = NOW): Pool =>
  newPool(createPoolInput.parse({ name: 'Pool', members: { users: [], groups: ['rep'] }, policy: policyInput(), ...body }), caller(['admin'], 'admin-1'), id, at);

const paths = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; keys?: string[] }[] } }) =>
  result.error!.issues.map((i) => [...i.path, ...(i.keys ?? [])].join('.')).sort();

describe('createPoolInput', () => {
  it('builds a pool at policy version 1, without duplicate members or routing values', () => {
    const pool = create({ members: { users: ['u-2', 'u-2'], groups: ['rep', 'rep'] }, routing: { industries: ['Fintech', ' fintech '] } });
    expect(pool).toMatchObject({
      tenantId: 'acme',
      description: null,
      members: { users: ['u-2'], groups: ['rep'] },
      routing: { industries: ['Fintech'], regions: [] },
      isDefault: false,
      policyVersion: 1,
      version: 1,
      createdBy: 'admin-1',
    });
  });

  it('rejects unknown groups, unknown fields and an invalid policy by path', () => {
    const result = createPoolInput.safeParse({
      name: 'P',
      members: { users: [], groups: ['boss'] },
      policy: policyInput({ warningDaysBefore: 30 }),
      extra: true,
    });
    expect(result.success).toBe(false);
    expect(paths(result)).toEqual(['extra', 'members.groups.0', 'policy.warningDaysBefore']);
  });
});

describe('isPoolMember', () => {
  const pool = create({ members: { users: ['u-7'], groups: ['manager'] } });

  it.each([
    ['a listed user', caller(['rep'], 'u-7'), true],
    ['a user in a listed group', caller(['manager'], 'u-8'), true],
    ['an admin, always', caller(['admin'], 'u-9'), true],
    ['anyone else', caller(['rep'], 'u-8'), false],
    ['a user without groups', caller([], 'u-8'), false],
    ['a listed user of another tenant', caller(['rep'], 'u-7', 'other'), false],
    ['an admin of another tenant', caller(['admin'], 'u-9', 'other'), false],
  ])('%s: %s', (_, who, expected) => {
    expect(isPoolMember(who, pool)).toBe(expected);
  });
});

describe('routePool', () => {
  const fallback = create({ name: 'Default', isDefault: true }, 'p-default');
  const fintech = create({ routing: { industries: ['Fintech', 'Banking'] } }, 'p-fintech');
  const emea = create({ routing: { regions: ['EMEA'] } }, 'p-emea');
  const emeaFintech = create({ routing: { industries: ['fintech'], regions: ['emea'] } }, 'p-emea-fintech');
  const unrouted = create({ name: 'Manual' }, 'p-manual');
  const pools = [fallback, fintech, emea, emeaFintech, unrouted];

  it('prefers the pool meeting both criteria over pools meeting one', () => {
    expect(routePool(pools, { industry: 'Fintech', region: 'EMEA' })?.id).toBe('p-emea-fintech');
  });

  it('takes a pool meeting one criterion when no pool meets both', () => {
    expect(routePool(pools, { industry: 'banking', region: 'APAC' })?.id).toBe('p-fintech');
    expect(routePool(pools, { industry: null, region: 'emea' })?.id).toBe('p-emea');
  });

  it('compares values without case or surrounding spaces', () => {
    expect(routingSpecificity(emeaFintech, { industry: ' FINTECH ', region: 'Emea' })).toBe(2);
  });

  it('breaks a tie in favour of the oldest pool, then the smaller id', () => {
    const olderEmea = create({ routing: { regions: ['EMEA'] } }, 'p-z-old', '2026-01-01T00:00:00.000Z');
    const sameTime = create({ routing: { regions: ['EMEA'] } }, 'p-a', NOW);
    expect(routePool([emea, olderEmea], { industry: 'Retail', region: 'EMEA' })?.id).toBe('p-z-old');
    expect(routePool([emea, sameTime], { industry: 'Retail', region: 'EMEA' })?.id).toBe('p-a');
  });

  it('falls back to the default pool; a pool without criteria never matches', () => {
    expect(routePool(pools, { industry: 'Retail', region: 'APAC' })?.id).toBe('p-default');
    expect(routePool(pools, { industry: null, region: null })?.id).toBe('p-default');
    expect(routingSpecificity(unrouted, { industry: 'Fintech', region: 'EMEA' })).toBeNull();
  });

  it('gives null only when there is no default to fall back on', () => {
    expect(routePool([fintech], { industry: 'Retail', region: null })).toBeNull();
    expect(defaultPool([])).toBeNull();
  });
});

describe('applyPoolPatch', () => {
  const base = create({ description: 'd', routing: { industries: ['Fintech'], regions: ['EMEA'] } });
  const apply = (body: unknown) => applyPoolPatch(base, poolPatch.parse(body), caller(['admin'], 'admin-2'), LATER);

  it('bumps the version but not the policy version for a change outside the policy', () => {
    const { after, changed } = apply({ name: 'Renamed', description: null });
    expect(changed).toEqual(['name', 'description']);
    expect(after).toMatchObject({ name: 'Renamed', description: null, version: 2, policyVersion: 1, updatedAt: LATER, updatedBy: 'admin-2' });
  });

  it('bumps the policy version when the policy changes', () => {
    const { after, changed } = apply({ policy: policyInput({ rules: { noFollowUpDays: 45 } }) });
    expect(changed).toEqual(['policy']);
    expect(after).toMatchObject({ version: 2, policyVersion: 2 });
    expect(after.policy.rules).toEqual({ noFollowUpDays: 45 });
  });

  it('treats the same policy, with its keys in another order, as no change', () => {
    const withLevels = create({ policy: policyInput({ rules: { noFollowUpDays: { default: 30, byLevel: { A: 60, C: 14 } } } }) });
    const reordered = policyInput({ rules: { noFollowUpDays: { byLevel: { C: 14, A: 60 }, default: 30 } } });
    const { after, changed } = applyPoolPatch(withLevels, poolPatch.parse({ policy: reordered }), caller(['admin']), LATER);
    expect(changed).toEqual([]);
    expect(after).toBe(withLevels);
  });

  it('merges members and routing per key, and clears routing with null', () => {
    expect(apply({ members: { users: ['u-3'] } }).after.members).toEqual({ users: ['u-3'], groups: ['rep'] });
    expect(apply({ routing: { regions: null } }).after.routing).toEqual({ industries: ['Fintech'], regions: [] });
    expect(apply({ routing: null }).after.routing).toEqual({ industries: [], regions: [] });
  });

  it('can make a pool the default but never unset it (the tenant keeps one)', () => {
    expect(apply({ isDefault: true }).after.isDefault).toBe(true);
    // false passes the schema (the use case answers 409 for the default pool) and changes nothing here.
    expect(poolPatch.safeParse({ isDefault: false }).success).toBe(true);
    expect(apply({ isDefault: false }).changed).toEqual([]);
    const theDefault = applyPoolPatch({ ...base, isDefault: true }, poolPatch.parse({ isDefault: false }), caller(['admin']), LATER);
    expect(theDefault.after.isDefault).toBe(true);
    expect(theDefault.changed).toEqual([]);
  });

  it('changes nothing, not even the version, for a patch that changes nothing', () => {
    const { after, changed } = apply({ name: 'Pool', members: { groups: ['rep'] } });
    expect(changed).toEqual([]);
    expect(after).toBe(base);
  });
});
