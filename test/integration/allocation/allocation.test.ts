import { describe, expect, it } from 'vitest';
import { claimDay } from '../../../shared/allocation/claim-rules';
import { keys } from '../../../shared/keys';
import { book, type Customer, createPool, events, history, item, op, policy, pooled, type Problem, setup, statuses } from '../allocation-fixtures';
import { call, settle, tokenFor, warmDirectoryCopy } from '../client';

describe('POST /customers/{id}/claim', () => {
  it('lets exactly one of 50 concurrent claims win; the other 49 answer 409 already-claimed', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Everyone' });
    const id = await pooled(seeder, poolId);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => rep(`rep-${i}`)));

    const results = await Promise.all(tokens.map((token) => op(token, id, 'claim')));

    expect(statuses(results)).toEqual({ 200: 1, 409: 49 });
    const winner = results.find((r) => r.status === 200)!.body;
    expect(winner).toMatchObject({ id, poolId: null, locked: false });
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.type))).toEqual(new Set(['urn:crm:problem:already-claimed']));
    // Only the winner's counters moved; the history and the bus know one claim.
    const counts = await Promise.all(tokens.map((_, i) => book(tenant, `rep-${i}`)));
    expect(counts.reduce((sum, c) => sum + Number(c.owned), 0)).toBe(1);
    expect(await book(tenant, winner.ownerId!)).toEqual({ owned: 1, locked: 0 });
    expect((await history(admin, id)).filter((h) => h.reason === 'claimed')).toEqual([
      expect.objectContaining({ from: null, to: winner.ownerId, poolId, actor: expect.objectContaining({ id: winner.ownerId }) }),
    ]);
    expect(await events('crm.customer.claimed.v1', id)).toEqual([expect.objectContaining({ fromOwnerId: null, toOwnerId: winner.ownerId, poolId })]);
  });

  it('holds the daily cap exactly under concurrency: 10 claims at a cap of 3 -> 3 x 200, 7 x 429 with the limit', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Capped', policy: policy({ perRepPerDay: 3 }) });
    const ids = await Promise.all(Array.from({ length: 10 }, () => pooled(seeder, poolId)));
    const token = await rep('rep-1');

    const results = await Promise.all(ids.map((id) => op(token, id, 'claim')));

    expect(statuses(results)).toEqual({ 200: 3, 429: 7 });
    for (const refused of results.filter((r) => r.status === 429)) {
      expect(refused.body).toMatchObject({ type: 'urn:crm:problem:claim-limit-reached', limit: 3, used: 3, resetsAt: expect.any(String) });
      // The seconds until the next claim day, in the body and as Retry-After.
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBe((refused.body as unknown as { retryAfterSeconds: number }).retryAfterSeconds);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    }
    const { now } = (await call<{ now: string }>('GET', '/_local/clock')).body;
    expect((await item(keys.userDailyClaims(tenant, 'rep-1', claimDay(now))))?.count).toBe(3);
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 3, locked: 0 });
  });

  it('refuses beyond maxOwnedPerRep, counting customers the rep created', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Small books', policy: policy({ maxOwnedPerRep: 2 }) });
    const [a, b] = [await pooled(seeder, poolId), await pooled(seeder, poolId)];
    const token = await rep('rep-1');
    expect((await call('POST', '/customers', { token, body: { name: 'My own' } })).status).toBe(201);

    expect((await op(token, a, 'claim')).status).toBe(200);
    const refused = await op(token, b, 'claim');

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:crm:problem:max-owned', limit: 2, owned: 2 });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 2, locked: 0 });
  });

  it('keeps the previous owner out for the cooldown, and lets them back in once it is over', async () => {
    const { admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Cooling', policy: policy({}, 2) });
    const id = await pooled(seeder, poolId);
    const token = await rep('rep-1');
    expect((await op(token, id, 'claim')).status).toBe(200);
    expect((await op(token, id, 'release', { reason: 'No budget this year' })).status).toBe(200);

    const refused = await op(token, id, 'claim');

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:crm:problem:claim-cooldown', until: expect.any(String) });
    await call('POST', '/_local/clock', { body: { advance: 'P3D' } });
    const again = await op(token, id, 'claim');
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.ownerId).toBe('rep-1');
  });

  it('hides a pool from non-members: their claim answers 404, a member may claim', async () => {
    const { admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Invite only', members: { users: ['rep-a', 'seeder'], groups: [] } });
    const id = await pooled(seeder, poolId);
    const [member, outsider] = [await rep('rep-a'), await rep('rep-b')];

    expect((await op(outsider, id, 'claim')).status).toBe(404);
    expect((await call('GET', `/customers/${id}`, { token: outsider })).status).toBe(404);
    expect((await op(member, id, 'claim')).status).toBe(200);
    // Once owned, an outsider still learns nothing; the member owns it (a repeat changes nothing).
    expect((await op(outsider, id, 'claim')).status).toBe(404);
    const repeat = await op(member, id, 'claim');
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('etag')).toBe(`"${repeat.body.version}"`);
  });
});

describe('requests per claim', () => {
  it('is 4 GetItems (profile, pool, and the two counters for the refusal numbers), the two Queries of its book and one transaction, plus the automation dispatcher\'s Query, the search indexer\'s and the timeline entry\'s transaction', async () => {
    const { admin, seeder, rep } = await setup();
    const id = await pooled(seeder, await createPool(admin, { name: 'Counted' }));
    const token = await rep('rep-1');
    await warmDirectoryCopy(token);
    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');

    expect((await op(token, id, 'claim')).status).toBe(200);
    await settle();

    const { body } = await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests');
    // Queries: the customer's open deals and open tasks (they move with it), the automation and
    // webhook dispatchers reading the tenant's automations and webhooks for the claimed event, and the search indexer's,
    // which with its BatchWriteItem rewrites who finds the customer, its contacts and deals (docs/search.md).
    // The fifth GetItem is the indexer's check that the profile is still live (an erased one's copies
    // must not come back). The second transaction is the timeline consumer's entry for the claim.
    expect(Object.fromEntries(Object.entries(body.operations).map(([name, c]) => [name, c.requests]))).toEqual({ GetItem: 5, TransactWriteItems: 2, Query: 5, BatchWriteItem: 1 });
  });
});

describe('POST /customers/{id}/release', () => {
  it('routes to the most specific matching pool, else the default; an explicit pool must be one of yours', async () => {
    const { admin, rep } = await setup();
    const general = await createPool(admin, { name: 'General' });
    const berlin = await createPool(admin, { name: 'Berlin', routing: { regions: ['Berlin'] } });
    const berlinTech = await createPool(admin, { name: 'Berlin tech', routing: { regions: ['Berlin'], industries: ['Software'] } });
    const secret = await createPool(admin, { name: 'Secret', members: { users: [], groups: [] } });
    const token = await rep('rep-1');
    const create = async (body: Record<string, unknown>) => (await call<Customer>('POST', '/customers', { token, body: { name: 'Acme', ...body } })).body.id;
    const [tech, city, elsewhere, pinned] = [
      await create({ industry: 'software', region: 'berlin' }),
      await create({ industry: 'Retail', region: 'Berlin' }),
      await create({ region: 'Munich' }),
      await create({}),
    ];

    const poolOf = async (id: string, body: Record<string, unknown> = {}) => (await op(token, id, 'release', { reason: 'Handing over', ...body })).body.poolId;
    expect(await poolOf(tech)).toBe(berlinTech);
    expect(await poolOf(city)).toBe(berlin);
    expect(await poolOf(elsewhere)).toBe(general);
    const hidden = await op(token, pinned, 'release', { reason: 'x', poolId: secret });
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors?.map((e) => e.path)).toEqual(['poolId']);
    expect(await poolOf(pinned, { poolId: berlin })).toBe(berlin);
    // Released: unowned, in the pool's book, no longer the rep's to release.
    expect((await op(token, pinned, 'release', { reason: 'again' })).status).toBe(404);
    expect((await op(admin, pinned, 'release', { reason: 'again' })).body.type).toBe('urn:crm:problem:not-owned');
  });

  it('records who released it and why, and answers 409 no-pool in a tenant without pools', async () => {
    const { tenant, admin, rep } = await setup();
    const token = await rep('rep-1');
    const { body: customer } = await call<Customer>('POST', '/customers', { token, body: { name: 'Lonely' } });

    const refused = await op(token, customer.id, 'release', { reason: 'Nobody wants it' });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('urn:crm:problem:no-pool');
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 1, locked: 0 });

    const poolId = await createPool(admin, { name: 'General' });
    const released = await op(token, customer.id, 'release', { reason: 'Nobody wants it' });
    expect(released.body).toMatchObject({ ownerId: null, teamId: null, poolId, locked: false });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 0, locked: 0 });
    expect(await history(admin, customer.id)).toEqual([
      expect.objectContaining({ reason: 'created', from: null, to: 'rep-1' }),
      expect.objectContaining({ reason: 'released', from: 'rep-1', to: null, poolId, note: 'Nobody wants it' }),
    ]);
    const releasedEvents = await events('crm.customer.released.v1', customer.id);
    expect(releasedEvents).toEqual([expect.objectContaining({ fromOwnerId: 'rep-1', toOwnerId: null, poolId })]);
    // The free-text reason stays in the history, off the bus.
    expect(JSON.stringify(releasedEvents)).not.toContain('Nobody wants it');
  });
});

describe('POST /customers/{id}/assign', () => {
  it('assigns from a pool and transfers between reps, with the team from the directory, history, events and counters', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'General' });
    const id = await pooled(seeder, poolId);
    expect((await call('PUT', '/users/rep-1', { token: admin, body: { email: 'rep1@example.com', name: 'Rep One', teamId: 'north' } })).status).toBeLessThan(300);
    expect((await call('PUT', '/users/rep-2', { token: admin, body: { email: 'rep2@example.com', name: 'Rep Two' } })).status).toBeLessThan(300);
    const manager = await tokenFor(tenant, 'mgr-north', ['manager'], 'north');
    const otherManager = await tokenFor(tenant, 'mgr-south', ['manager'], 'south');

    const assigned = await op(manager, id, 'assign', { ownerId: 'rep-1' });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body).toMatchObject({ ownerId: 'rep-1', teamId: 'north', poolId: null });
    expect((await op(manager, id, 'assign', { ownerId: 'rep-1' })).body.version).toBe(assigned.body.version);
    // Out of the south manager's scope (team north's customer); a rep may not assign at all.
    expect((await op(otherManager, id, 'assign', { ownerId: 'rep-2' })).status).toBe(404);
    expect((await op(await rep('rep-1', 'north'), id, 'assign', { ownerId: 'rep-2' })).status).toBe(403);

    const transferred = await op(admin, id, 'assign', { ownerId: 'rep-2' });
    expect(transferred.body).toMatchObject({ ownerId: 'rep-2', teamId: null });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 0, locked: 0 });
    expect(await book(tenant, 'rep-2')).toEqual({ owned: 1, locked: 0 });
    expect((await history(admin, id)).map((h) => [h.reason, h.from, h.to])).toEqual([
      ['created', null, 'seeder'],
      ['released', 'seeder', null],
      ['assigned', null, 'rep-1'],
      ['assigned', 'rep-1', 'rep-2'],
    ]);
    expect(await events('crm.customer.assigned.v1', id)).toEqual([
      expect.objectContaining({ fromOwnerId: null, toOwnerId: 'rep-1', poolId }),
      expect.objectContaining({ fromOwnerId: 'rep-1', toOwnerId: 'rep-2', poolId: null }),
    ]);
  });
});

describe('POST /customers/{id}/lock and /unlock', () => {
  it('caps locked customers per owner, is idempotent, and leaves the counters exact after a sequence', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Locks', policy: policy({ maxLockedPerRep: 1 }) });
    const [a, b] = [await pooled(seeder, poolId), await pooled(seeder, poolId)];
    const token = await rep('rep-1');
    for (const id of [a, b]) expect((await op(token, id, 'claim')).status).toBe(200);

    const locked = await op(token, a, 'lock');
    expect(locked.body).toMatchObject({ locked: true });
    expect((await op(token, a, 'lock')).body.version).toBe(locked.body.version);
    const refused = await op(token, b, 'lock');
    expect(refused.status).toBe(409);
    // The problem's `locked` is a count (the customer's is a flag).
    expect(refused.body as unknown as Problem & { locked: number }).toMatchObject({ type: 'urn:crm:problem:max-locked', limit: 1, locked: 1 });
    expect((await op(await rep('rep-2'), a, 'unlock')).status).toBe(404);

    expect((await op(token, a, 'unlock')).body.locked).toBe(false);
    expect((await op(token, a, 'unlock')).status).toBe(200);
    expect((await op(token, b, 'lock')).body.locked).toBe(true);
    // A release unlocks; a transfer of a locked customer moves nothing locked to the new owner.
    expect((await op(token, b, 'release', { reason: 'Moving on' })).body).toMatchObject({ locked: false, ownerId: null });
    expect((await op(token, a, 'lock')).status).toBe(200);
    expect((await call('PUT', '/users/rep-2', { token: admin, body: { email: 'rep2@example.com', name: 'Rep Two' } })).status).toBeLessThan(300);
    expect((await op(admin, a, 'assign', { ownerId: 'rep-2' })).body).toMatchObject({ locked: false, ownerId: 'rep-2' });

    expect(await book(tenant, 'rep-1')).toEqual({ owned: 0, locked: 0 });
    expect(await book(tenant, 'rep-2')).toEqual({ owned: 1, locked: 0 });
    expect((await op(token, b, 'lock')).status).toBe(404);
  });
});

describe('counters across merge and erasure', () => {
  it('moves nothing twice: a merged-away customer leaves its book, an unowned survivor takes the owner, an erased one leaves', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'General' });
    const token = await rep('rep-1');
    const create = async () => (await call<Customer>('POST', '/customers', { token, body: { name: 'Acme', kind: 'company' } })).body.id;
    const [a, b] = [await create(), await create()];
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 2, locked: 0 });

    expect((await call('POST', `/customers/${a}/merge`, { token, body: { sourceId: b } })).status).toBe(200);
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 1, locked: 0 });

    // A pooled survivor absorbs the rep's customer and with it its owner: still one customer in the book.
    const survivor = await pooled(seeder, poolId, { name: 'Acme GmbH' });
    const merged = await call<Customer>('POST', `/customers/${survivor}/merge`, { token: admin, body: { sourceId: a } });
    expect(merged.body).toMatchObject({ ownerId: 'rep-1', poolId: null });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 1, locked: 0 });
    expect((await history(admin, survivor)).map((h) => h.reason)).toContain('merged');

    expect((await call('DELETE', `/customers/${survivor}`, { token: admin })).status).toBe(204);
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 0, locked: 0 });
  });
});
