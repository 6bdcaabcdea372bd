import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { toCustomer } from '../../../shared/customers/customer-repository';
import { profileIndexKeys } from '../../../shared/customers/profile-item';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable as db, settle, stack, tokenFor, warmDirectoryCopy } from '../client';

interface PoolBody {
  id: string;
  name: string;
  isDefault: boolean;
  version: number;
  policyVersion: number;
  members: { users: string[]; groups: string[] };
  policy: { warningDaysBefore: number };
}
interface Problem {
  type: string;
  status: number;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}
interface CustomerBody {
  id: string;
  name: string;
  poolId: string | null;
}

const POLICY = {
  rules: { noFollowUpDays: 30 },
  warningDaysBefore: 3,
  claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 200, maxLockedPerRep: 10 },
  reclaimCooldownDays: 7,
};
const poolBody = (name: string, extra: Record<string, unknown> = {}) => ({ name, members: { users: [], groups: ['rep'] }, policy: POLICY, ...extra });

const createPool = (token: string, body: Record<string, unknown>) => call<PoolBody & Problem>('POST', '/pools', { token, body });
const listPools = (token: string) => call<{ items: PoolBody[] }>('GET', '/pools', { token });
const patchPool = (token: string, id: string, body: Record<string, unknown>, version?: number) =>
  call<PoolBody & Problem>('PATCH', `/pools/${id}`, {
    token,
    body,
    contentType: 'application/merge-patch+json',
    headers: version === undefined ? {} : { 'if-match': `"${version}"` },
  });
const paths = (problem: Problem) => (problem.errors ?? []).map((e) => e.path).sort();

/** The default pointer as stored, and the pools flagged default: the invariant is one, the same. */
async function defaults(tenant: string, admin: string) {
  const { Item } = await db().send(new GetCommand({ TableName: stack().tableName, Key: keys.defaultPool(tenant), ConsistentRead: true }));
  const flagged = (await listPools(admin)).body.items.filter((p) => p.isDefault).map((p) => p.id);
  return { pointer: Item?.poolId as string | undefined, flagged };
}

/** Puts an unowned customer into a pool the way release will: poolId and the pool's book on GSI1. */
async function putInPool(tenant: string, customerId: string, poolId: string) {
  const { Item } = await db().send(new GetCommand({ TableName: stack().tableName, Key: keys.customer(tenant, customerId), ConsistentRead: true }));
  const customer = { ...toCustomer(Item!), ownerId: null, teamId: null, poolId, homePoolId: poolId };
  await db().send(new PutCommand({ TableName: stack().tableName, Item: { ...Item, ownerId: null, teamId: null, poolId, homePoolId: poolId, ...profileIndexKeys(customer) } }));
}

describe('POST, GET and PATCH /pools', () => {
  it("makes the tenant's first pool its default, and moves the default in one step", async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);

    const first = await createPool(admin, poolBody('General', { isDefault: false }));
    const second = await createPool(admin, poolBody('Fintech', { routing: { industries: ['Fintech'] } }));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body).toMatchObject({ name: 'General', isDefault: true, version: 1, policyVersion: 1, policy: { exempt: { locked: true, closedWon: true } } });
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.headers.get('location')).toBe(`/pools/${first.body.id}`);
    expect(second.body.isDefault).toBe(false);

    const third = await createPool(admin, poolBody('New default', { isDefault: true }));
    expect(third.body.isDefault).toBe(true);
    const listed = await listPools(admin);
    expect(listed.body.items.map((p) => [p.name, p.isDefault, p.version])).toEqual([
      ['General', false, 2],
      ['Fintech', false, 1],
      ['New default', true, 1],
    ]);
    expect(await defaults(tenant, admin)).toEqual({ pointer: third.body.id, flagged: [third.body.id] });

    const read = await call<PoolBody>('GET', `/pools/${second.body.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(second.body);
  });

  it('lets only admins create and change pools', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const pool = await createPool(admin, poolBody('General'));
    for (const groups of [['rep'], ['manager'], ['marketer']]) {
      const token = await tokenFor(tenant, 'someone', groups);
      expect((await createPool(token, poolBody('Mine'))).status, groups.join()).toBe(403);
      expect((await patchPool(token, pool.body.id, { name: 'Mine' }, 1)).status, groups.join()).toBe(403);
    }
  });

  it('names the failing policy field', async () => {
    const admin = await tokenFor(newTenant(), 'admin-1', ['admin']);

    const warning = await createPool(admin, poolBody('P', { policy: { ...POLICY, rules: { noFollowUpDays: { default: 30, byLevel: { C: 10 } } }, warningDaysBefore: 10 } }));
    expect(warning.status).toBe(400);
    expect(paths(warning.body)).toEqual(['policy.warningDaysBefore']);

    const several = await createPool(admin, { name: '', members: { users: [], groups: ['boss'] }, policy: { ...POLICY, rules: {} } });
    expect(paths(several.body)).toEqual(['members.groups.0', 'name', 'policy.rules']);
  });

  it('updates with If-Match: 428 without, 412 when stale, a new policy version for a new policy', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const pool = (await createPool(admin, poolBody('General'))).body;

    expect((await patchPool(admin, pool.id, { name: 'Renamed' })).status).toBe(428);
    // A non-admin hears 403 before anything about If-Match.
    expect((await patchPool(await tokenFor(tenant, 'rep-1', ['rep']), pool.id, { name: 'Renamed' })).status).toBe(403);
    const renamed = await patchPool(admin, pool.id, { name: 'Renamed', members: { users: ['rep-9'] } }, 1);
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', version: 2, policyVersion: 1, members: { users: ['rep-9'], groups: ['rep'] } });
    expect(renamed.headers.get('etag')).toBe('"2"');

    const stale = await patchPool(admin, pool.id, { name: 'Again' }, 1);
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);

    const newPolicy = await patchPool(admin, pool.id, { policy: { ...POLICY, rules: { noFollowUpDays: 45 } } }, 2);
    expect(newPolicy.body).toMatchObject({ version: 3, policyVersion: 2 });
    const badPolicy = await patchPool(admin, pool.id, { policy: { ...POLICY, warningDaysBefore: 45 } }, 3);
    expect(badPolicy.status).toBe(400);
    expect(paths(badPolicy.body)).toEqual(['policy.warningDaysBefore']);

    const unchanged = await patchPool(admin, pool.id, { name: 'Renamed' }, 3);
    expect(unchanged.body.version).toBe(3);
    expect((await patchPool(admin, 'no-such-pool', { name: 'X' }, 1)).status).toBe(404);
  });

  it('moves the default with a PATCH and refuses to unset it', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const first = (await createPool(admin, poolBody('General'))).body;
    const second = (await createPool(admin, poolBody('Second'))).body;

    const unset = await patchPool(admin, first.id, { isDefault: false }, 1);
    expect(unset.status).toBe(409);
    expect(unset.body.type).toBe('urn:crm:problem:default-pool-required');
    expect((await patchPool(admin, second.id, { isDefault: false }, 1)).body.version).toBe(1);

    const moved = await patchPool(admin, second.id, { isDefault: true }, 1);
    expect(moved.body).toMatchObject({ isDefault: true, version: 2 });
    expect(await defaults(tenant, admin)).toEqual({ pointer: second.id, flagged: [second.id] });
    // The old default changed (its flag): an edit based on its old version is stale.
    expect((await patchPool(admin, first.id, { name: 'Old' }, 1)).status).toBe(412);
  });

  it('keeps exactly one default when admins race to create the first pool or to move the default', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);

    const firsts = await Promise.all([1, 2, 3, 4].map((i) => createPool(admin, poolBody(`Racer ${i}`))));
    expect(firsts.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(firsts.filter((r) => r.body.isDefault)).toHaveLength(1);
    const after = await defaults(tenant, admin);
    expect(after.flagged).toEqual([after.pointer]);

    const others = firsts.filter((r) => !r.body.isDefault).map((r) => r.body);
    const moves = await Promise.all(others.map((p) => patchPool(admin, p.id, { isDefault: true }, p.version)));
    for (const move of moves) expect([200, 409]).toContain(move.status);
    expect(moves.some((m) => m.status === 200)).toBe(true);
    const final = await defaults(tenant, admin);
    expect(final.flagged).toHaveLength(1);
    expect(final.flagged).toEqual([final.pointer]);
    expect(others.map((p) => p.id)).toContain(final.pointer);
  });
});

describe('pool visibility', () => {
  it('lists a pool to its users and groups only (admins see all); others get 404', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const byUser = (await createPool(admin, { name: 'By user', members: { users: ['rep-1'], groups: [] }, policy: POLICY })).body;
    const byGroup = (await createPool(admin, { name: 'By group', members: { users: [], groups: ['manager'] }, policy: POLICY })).body;

    const names = async (token: string) => (await listPools(token)).body.items.map((p) => p.name);
    expect(await names(admin)).toEqual(['By user', 'By group']);
    expect(await names(await tokenFor(tenant, 'rep-1', ['rep']))).toEqual(['By user']);
    expect(await names(await tokenFor(tenant, 'mgr-1', ['manager']))).toEqual(['By group']);
    const outsider = await tokenFor(tenant, 'rep-2', ['rep']);
    expect(await names(outsider)).toEqual([]);
    expect((await call('GET', `/pools/${byUser.id}`, { token: outsider })).status).toBe(404);
    expect((await call('GET', `/pools/${byGroup.id}/customers`, { token: outsider })).status).toBe(404);
    expect(await names(await tokenFor(newTenant(), 'admin-1', ['admin']))).toEqual([]);
  });
});

describe('GET /pools/{id}/customers and reading pooled customers', () => {
  async function pooledTenant() {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const pool = (await createPool(admin, { name: 'Pool', members: { users: ['rep-1'], groups: [] }, policy: POLICY })).body;
    const other = (await createPool(admin, { name: 'Other', members: { users: [], groups: [] }, policy: POLICY })).body;
    const specs = [
      { name: 'Alpha', industry: 'Fintech', region: 'EMEA', level: 'A' },
      { name: 'Beta', industry: 'Fintech', region: 'APAC', level: 'B' },
      { name: 'Gamma', industry: 'Retail', region: 'EMEA', level: 'A' },
      { name: 'Delta', industry: 'Fintech', region: 'EMEA', level: 'B' },
    ];
    const customers: CustomerBody[] = [];
    for (const spec of specs) {
      const created = await call<CustomerBody>('POST', '/customers', { token: admin, body: spec });
      await putInPool(tenant, created.body.id, pool.id);
      customers.push(created.body);
    }
    const elsewhere = await call<CustomerBody>('POST', '/customers', { token: admin, body: { name: 'Elsewhere', industry: 'Fintech' } });
    await putInPool(tenant, elsewhere.body.id, other.id);
    const member = await tokenFor(tenant, 'rep-1', ['rep']);
    const outsider = await tokenFor(tenant, 'rep-2', ['rep']);
    return { tenant, admin, pool, other, customers, elsewhere: elsewhere.body, member, outsider };
  }

  const page = (token: string, poolId: string, query = '') =>
    call<{ items: CustomerBody[]; cursor: string | null } & Problem>('GET', `/pools/${poolId}/customers${query}`, { token });

  it('lists a pool to its members, newest update first, filtered and paginated', async () => {
    const { pool, other, member, admin } = await pooledTenant();

    const all = await page(member, pool.id);
    expect(all.status).toBe(200);
    expect(all.body.items.map((c) => c.name)).toEqual(['Delta', 'Gamma', 'Beta', 'Alpha']);
    expect(all.body.items.every((c) => c.poolId === pool.id)).toBe(true);
    expect(all.body.cursor).toBeNull();

    expect((await page(member, pool.id, '?industry=Fintech&region=EMEA')).body.items.map((c) => c.name)).toEqual(['Delta', 'Alpha']);
    expect((await page(member, pool.id, '?level=A')).body.items.map((c) => c.name)).toEqual(['Gamma', 'Alpha']);

    const first = await page(member, pool.id, '?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(first.body.cursor).not.toBeNull();
    const second = await page(member, pool.id, `?limit=3&cursor=${first.body.cursor}`);
    expect(second.body.items.map((c) => c.name)).toEqual(['Alpha']);

    // A cursor of this pool is no cursor of another one.
    const foreign = await page(admin, other.id, `?cursor=${first.body.cursor}`);
    expect(foreign.status).toBe(400);
    expect(paths(foreign.body)).toEqual(['query.cursor']);
    expect(paths((await page(member, pool.id, '?colour=red')).body)).toEqual(['query.colour']);
    expect(paths((await page(member, pool.id, '?limit=0')).body)).toEqual(['query.limit']);
    expect((await page(admin, other.id)).body.items.map((c) => c.name)).toEqual(['Elsewhere']);
  });

  it('lets a member read a pooled customer, its 360 view and timeline, but not change it; others get 404', async () => {
    const { customers, elsewhere, member, outsider } = await pooledTenant();
    const id = customers[0]!.id;

    expect((await call('GET', `/customers/${id}`, { token: member })).status).toBe(200);
    expect((await call('GET', `/customers/${id}/360`, { token: member })).status).toBe(200);
    expect((await call('GET', `/customers/${id}/activities`, { token: member })).status).toBe(200);
    expect((await call('PATCH', `/customers/${id}`, { token: member, body: { name: 'Mine' }, headers: { 'if-match': '"1"' } })).status).toBe(404);

    for (const path of [`/customers/${id}`, `/customers/${id}/360`, `/customers/${id}/activities`]) {
      expect((await call('GET', path, { token: outsider })).status, path).toBe(404);
    }
    // A member of one pool does not read the customers of another.
    expect((await call('GET', `/customers/${elsewhere.id}`, { token: member })).status).toBe(404);
  });

  it("costs a member one GetItem of the pool more than an owner's read; a page of the pool is the pool's GetItem and one Query", async () => {
    const { pool, customers, member } = await pooledTenant();
    await warmDirectoryCopy(member);
    const counted = async (act: () => Promise<unknown>) => {
      await settle();
      await call('POST', '/_local/dynamodb-requests/reset');
      await act();
      await settle();
      const { operations } = (await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests')).body;
      return Object.fromEntries(Object.entries(operations).map(([op, c]) => [op, c.requests]));
    };

    expect(await counted(() => call('GET', `/customers/${customers[0]!.id}/360`, { token: member }))).toEqual({ Query: 2, GetItem: 1 });
    expect(await counted(() => call('GET', `/pools/${pool.id}/customers?industry=Fintech`, { token: member }))).toEqual({ GetItem: 1, Query: 1 });
  });
});

describe('PUT, GET /users', () => {
  it('lets admins keep the directory, admins and managers list it, and each user read their own entry', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const manager = await tokenFor(tenant, 'mgr-1', ['manager']);
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const put = (token: string, userId: string, body: Record<string, unknown>) => call<Record<string, unknown> & Problem>('PUT', `/users/${userId}`, { token, body });

    const created = await put(admin, 'rep-1', { email: 'Rep.One@Example.com', name: ' Rep One ', teamId: 'emea' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      userId: 'rep-1', email: 'rep.one@example.com', name: 'Rep One', teamId: 'emea', managerId: null, groups: [], status: 'active',
      invitedAt: null, deactivatedAt: null, deactivatedBy: null, delegate: null, version: 1,
      createdAt: expect.any(String), createdBy: 'admin-1', createdByName: null, updatedAt: expect.any(String), updatedBy: 'admin-1', updatedByName: null,
    });
    expect(created.headers.get('etag')).toBe('"1"');
    const replaced = await put(admin, 'rep-1', { email: 'rep.one@example.com', name: 'Rep Uno' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'Rep Uno', teamId: null, createdAt: created.body.createdAt, version: 2 });
    for (const id of ['rep-2', 'mgr-1', 'rep-3']) expect((await put(admin, id, { email: `${id}@example.com`, name: id })).status).toBe(201);

    expect((await put(rep, 'rep-1', { email: 'me@example.com', name: 'Me' })).status).toBe(403);
    expect(paths((await put(admin, 'rep-1', { email: 'nope', name: '' })).body)).toEqual(['email', 'name']);
    expect(paths((await put(admin, 'a%23b', { email: 'x@example.com', name: 'X' })).body)).toEqual(['path.userId']);

    const listed = await call<{ items: { userId: string }[]; cursor: string | null }>('GET', '/users', { token: manager });
    expect(listed.body.items.map((u) => u.userId)).toEqual(['mgr-1', 'rep-1', 'rep-2', 'rep-3']);
    const firstPage = await call<{ items: { userId: string }[]; cursor: string }>('GET', '/users?limit=3', { token: admin });
    const nextPage = await call<{ items: { userId: string }[] }>('GET', `/users?limit=3&cursor=${firstPage.body.cursor}`, { token: admin });
    expect(nextPage.body.items.map((u) => u.userId)).toEqual(['rep-3']);
    expect((await call('GET', '/users', { token: rep })).status).toBe(403);
    expect((await call<{ items: unknown[] }>('GET', '/users', { token: await tokenFor(newTenant(), 'admin-1', ['admin']) })).body.items).toEqual([]);

    expect((await call('GET', '/users/rep-1', { token: rep })).body).toMatchObject({ name: 'Rep Uno' });
    expect((await call('GET', '/users/rep-2', { token: rep })).status).toBe(403);
    expect((await call('GET', '/users/rep-2', { token: manager })).status).toBe(200);
    expect((await call('GET', '/users/nobody', { token: admin })).status).toBe(404);
  });
});
