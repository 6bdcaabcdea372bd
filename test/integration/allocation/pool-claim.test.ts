import { describe, expect, it } from 'vitest';
import { claimDay } from '../../../shared/allocation/claim-rules';
import { keys } from '../../../shared/keys';
import { book, type Customer, createPool, events, history, item, op, policy, pooled, type Problem, setup, statuses } from '../allocation-fixtures';
import { call, tokenFor } from '../client';

interface Claimed {
  claimed: Customer[];
  requested: number;
}
interface Unavailable extends Problem {
  unavailable?: { customerId: string; reason: string; until?: string }[];
}

const claimFrom = (token: string, poolId: string, body: Record<string, unknown>) => call<Claimed & Unavailable>('POST', `/pools/${poolId}/claim`, { token, body });

/** `n` customers released into the pool one after another, so the first waited longest. */
async function pooledInOrder(seeder: string, poolId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await pooled(seeder, poolId, { name: `Waiting ${i}` }));
  return ids;
}

describe('POST /pools/{id}/claim by count', () => {
  it('takes the customers that waited longest, with history, events and counters for each', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Bulk', policy: policy({ perRequest: 5 }) });
    const ids = await pooledInOrder(seeder, poolId, 4);
    const token = await rep('rep-1');

    const res = await claimFrom(token, poolId, { count: 3 });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.requested).toBe(3);
    expect(res.body.claimed.map((c) => c.id)).toEqual(ids.slice(0, 3));
    expect(res.body.claimed.every((c) => c.ownerId === 'rep-1' && c.poolId === null)).toBe(true);
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 3, locked: 0 });
    // The day is the runtime's (its clock may have travelled), as the claim's assignedAt says.
    const day = claimDay((res.body.claimed[0] as Customer & { assignedAt: string }).assignedAt);
    expect((await item(keys.userDailyClaims(tenant, 'rep-1', day)))?.count).toBe(3);
    for (const id of ids.slice(0, 3)) {
      expect((await history(admin, id)).filter((h) => h.reason === 'claimed')).toEqual([expect.objectContaining({ from: null, to: 'rep-1', poolId })]);
      expect(await events('crm.customer.claimed.v1', id)).toEqual([expect.objectContaining({ toOwnerId: 'rep-1', poolId })]);
    }
    // The fourth still waits; a second request takes what is left, fewer than asked.
    const rest = await claimFrom(token, poolId, { count: 5 });
    expect(rest.body).toMatchObject({ requested: 5, claimed: [expect.objectContaining({ id: ids[3] })] });
    expect(await claimFrom(token, poolId, { count: 2 })).toMatchObject({ status: 200, body: { claimed: [], requested: 2 } });
  });

  it('gives concurrent bulk claims disjoint customers: each customer gets one owner', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Contended', policy: policy({ perRequest: 3 }) });
    const ids = await pooledInOrder(seeder, poolId, 9);
    const tokens = await Promise.all([1, 2, 3, 4].map((i) => rep(`rep-${i}`)));

    const results = await Promise.all(tokens.map((token) => claimFrom(token, poolId, { count: 3 })));

    expect(results.every((r) => r.status === 200), JSON.stringify(results.map((r) => r.body))).toBe(true);
    const taken = results.flatMap((r) => r.body.claimed.map((c) => c.id));
    expect(new Set(taken).size).toBe(taken.length);
    expect(new Set(taken)).toEqual(new Set(ids));
    const owned = await Promise.all([1, 2, 3, 4].map(async (i) => (await book(tenant, `rep-${i}`)).owned));
    expect(owned.reduce((a, b) => Number(a) + Number(b), 0)).toBe(9);
  });

  it('passes over customers the caller may not take back yet (cooldown)', async () => {
    const { admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Cooling', policy: policy({ perRequest: 5 }, 7) });
    const token = await rep('rep-1');
    const [first, second] = await pooledInOrder(seeder, poolId, 2);
    expect((await op(token, first!, 'claim')).status).toBe(200);
    expect((await op(token, first!, 'release', { reason: 'Wrong region', poolId })).status).toBe(200);

    const res = await claimFrom(token, poolId, { count: 2 });

    expect(res.body.claimed.map((c) => c.id)).toEqual([second]);
  });
});

describe('POST /pools/{id}/claim by customer ids', () => {
  it('claims all of the chosen customers, and answers a retry with the same customers', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Chosen', policy: policy({ perRequest: 5 }) });
    const ids = await pooledInOrder(seeder, poolId, 3);
    const token = await rep('rep-1');

    const res = await claimFrom(token, poolId, { customerIds: [ids[2], ids[0]] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.claimed.map((c) => c.id)).toEqual([ids[2], ids[0]]);

    const retried = await claimFrom(token, poolId, { customerIds: [ids[2], ids[0]] });
    expect(retried.body.claimed.map((c) => c.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 2, locked: 0 });
  });

  it('claims none when one cannot be taken, and says why for each', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'All or nothing', policy: policy({ perRequest: 5 }) });
    const otherPool = await createPool(admin, { name: 'Elsewhere' });
    const [free, taken] = await pooledInOrder(seeder, poolId, 2);
    const foreign = await pooled(seeder, otherPool);
    expect((await op(await rep('rep-2'), taken!, 'claim')).status).toBe(200);
    const token = await rep('rep-1');

    const res = await claimFrom(token, poolId, { customerIds: [free, taken, foreign, 'no-such-customer'] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:crm:problem:claim-unavailable',
      unavailable: [
        { customerId: taken, reason: 'already-owned' },
        { customerId: foreign, reason: 'not-in-pool' },
        { customerId: 'no-such-customer', reason: 'not-in-pool' },
      ],
    });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 0, locked: 0 });
    expect((await call<Customer>('GET', `/customers/${free}`, { token })).body).toMatchObject({ ownerId: null, poolId });
  });
});

describe('POST /pools/{id}/claim limits', () => {
  it('refuses more than the policy allows per request, naming the field', async () => {
    const { admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Small requests', policy: policy({ perRequest: 2 }) });
    const ids = await pooledInOrder(seeder, poolId, 3);
    const token = await rep('rep-1');

    const byCount = await claimFrom(token, poolId, { count: 3 });
    expect(byCount.status).toBe(400);
    expect(byCount.body.errors).toEqual([expect.objectContaining({ path: 'count', message: expect.stringContaining('At most 2') })]);
    const byIds = await claimFrom(token, poolId, { customerIds: ids });
    expect(byIds.body.errors).toEqual([expect.objectContaining({ path: 'customerIds' })]);
    expect((await claimFrom(token, poolId, { count: 2, customerIds: ids })).body.errors).toEqual([expect.objectContaining({ path: 'count' })]);
  });

  it('holds the daily cap exactly when bulk claims race: cap 4, two requests of 3 -> one wins, one 429, nothing half-claimed', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Daily cap', policy: policy({ perRequest: 3, perRepPerDay: 4 }) });
    await pooledInOrder(seeder, poolId, 6);
    const token = await rep('rep-1');

    const results = await Promise.all([claimFrom(token, poolId, { count: 3 }), claimFrom(token, poolId, { count: 3 })]);

    expect(statuses(results)).toEqual({ 200: 1, 429: 1 });
    expect(results.find((r) => r.status === 429)!.body).toMatchObject({ type: 'urn:crm:problem:claim-limit-reached', limit: 4 });
    expect(await book(tenant, 'rep-1')).toEqual({ owned: 3, locked: 0 });
    // One more fits under the cap; a second does not.
    expect((await claimFrom(token, poolId, { count: 1 })).body.claimed).toHaveLength(1);
    expect((await claimFrom(token, poolId, { count: 1 })).status).toBe(429);
  });

  it('refuses a request that would pass the owned cap', async () => {
    const { admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'Owned cap', policy: policy({ perRequest: 3, maxOwnedPerRep: 2 }) });
    await pooledInOrder(seeder, poolId, 3);

    const res = await claimFrom(await rep('rep-1'), poolId, { count: 3 });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:crm:problem:max-owned', limit: 2, owned: 0 });
  });

  it('looks like 404 to a non-member, whether or not the pool exists', async () => {
    const { admin, seeder, tenant } = await setup();
    const poolId = await createPool(admin, { name: 'Members only', members: { users: ['rep-1', 'seeder'], groups: [] }, policy: policy({ perRequest: 3 }) });
    await pooledInOrder(seeder, poolId, 1);
    const outsider = await tokenFor(tenant, 'rep-2', ['rep']);

    expect((await claimFrom(outsider, poolId, { count: 1 })).status).toBe(404);
    expect((await claimFrom(outsider, 'no-such-pool', { count: 1 })).status).toBe(404);
  });
});
