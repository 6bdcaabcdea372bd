import { describe, expect, it } from 'vitest';
import { call, tokenFor } from '../client';
import { createPool, type Customer, op, policy, type Problem, setup } from '../allocation-fixtures';

// The bulk claim moves each claimed customer's book in its one transaction (docs/allocation.md,
// "Bulk claims and the book"): the open deals, unowned since the release, and the open tasks the
// last owner left behind go to the claimer; closed deals keep their historical owner.

interface Deal {
  id: string;
  ownerId: string | null;
  teamId: string | null;
  status: string;
  version: number;
}
interface Task {
  id: string;
  assigneeId: string;
}
interface Claimed extends Problem {
  claimed: Customer[];
  requested: number;
  items?: number;
  limit?: number;
  books?: { customerId: string; bookItems: number }[];
}

const PERIOD = '2027-03';

async function booksInPool(perRequest: number) {
  const { tenant, admin, rep } = await setup();
  const poolId = await createPool(admin, { name: 'With books', policy: policy({ perRequest }) });
  const pipelineId = (await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'Sales', stages: [{ id: 'qualify', name: 'Qualify', probability: 20 }] } })).body.id;
  // rep-1 worked the customers and released them: the last owner whose open tasks wait in the pool.
  const lastOwner = await rep('rep-1', 'north');
  const customer = async (name: string) => (await call<{ id: string }>('POST', '/customers', { token: lastOwner, body: { name, kind: 'company' } })).body.id;
  const deal = async (customerId: string, name: string) => {
    const res = await call<Deal>('POST', '/deals', { token: lastOwner, body: { customerId, pipelineId, name, amount: '1000.00', currency: 'EUR', expectedCloseDate: `${PERIOD}-20` } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const task = async (token: string, customerId: string, title = 'Call back') => {
    const res = await call<Task>('POST', '/tasks', { token, body: { title, type: 'call', dueAt: '2027-01-10T09:00:00Z', customerId } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const release = async (id: string) => expect((await op(lastOwner, id, 'release', { reason: 'Leaving the territory', poolId })).status).toBe(200);
  return { tenant, admin, rep, poolId, lastOwner, customer, deal, task, release };
}

const claimFrom = (token: string, poolId: string, body: Record<string, unknown>) => call<Claimed>('POST', `/pools/${poolId}/claim`, { token, body });

describe('POST /pools/{id}/claim moves the books', () => {
  it("gives the claimer the open deals and the last owner's open tasks of every claimed customer; closed deals and others' tasks stay; forecast and GET /deals?owner=me show them", async () => {
    const { admin, rep, poolId, lastOwner, customer, deal, task, release } = await booksInPool(5);
    const first = await customer('Northwind Traders');
    const second = await customer('Contoso');
    const bare = await customer('No business yet');
    const open1 = await deal(first, 'Renewal');
    const won = await deal(first, 'Last year');
    expect((await call('PATCH', `/deals/${won.id}`, { token: lastOwner, body: { status: 'won' }, headers: { 'if-match': `"${won.version}"` } })).status).toBe(200);
    const open2 = await deal(second, 'Upsell');
    const left = await task(lastOwner, first);
    const managers = await task(admin, second, 'Audit');
    for (const id of [first, second, bare]) await release(id);

    const claimer = await rep('rep-2', 'south');
    const res = await claimFrom(claimer, poolId, { count: 3 });

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.claimed.map((c) => c.id)).toEqual([first, second, bare]);
    for (const open of [open1, open2]) expect((await call<Deal>('GET', `/deals/${open.id}`, { token: claimer })).body).toMatchObject({ ownerId: 'rep-2', teamId: 'south', status: 'open' });
    expect((await call<Deal>('GET', `/deals/${won.id}`, { token: admin })).body).toMatchObject({ ownerId: 'rep-1', status: 'won' });
    expect((await call<Task>('GET', `/tasks/${left.id}`, { token: claimer })).body.assigneeId).toBe('rep-2');
    expect((await call<Task>('GET', `/tasks/${managers.id}`, { token: admin })).body.assigneeId).toBe('admin-1');
    const mine = await call<{ items: Deal[] }>('GET', '/deals?owner=me', { token: claimer });
    expect(mine.body.items.map((d) => d.id).sort()).toEqual([open1.id, open2.id].sort());
    const forecast = await call<{ rows: { ownerId: string; deals: number; pipeline: Record<string, string> }[] }>('GET', `/forecast?period=${PERIOD}`, { token: claimer });
    expect(forecast.body.rows).toEqual([expect.objectContaining({ ownerId: 'rep-2', deals: 2, pipeline: { EUR: '2000.00' } })]);
    expect((await call<{ items: Task[] }>('GET', '/tasks?when=open', { token: lastOwner })).body.items).toEqual([]);
  });

  it('moves the books of chosen customers too', async () => {
    const { rep, poolId, customer, deal, release } = await booksInPool(5);
    const chosen = await customer('Chosen');
    const open = await deal(chosen, 'Chosen deal');
    await release(chosen);
    const claimer = await rep('rep-2', 'south');

    expect((await claimFrom(claimer, poolId, { customerIds: [chosen] })).status).toBe(200);

    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: claimer })).body.ownerId).toBe('rep-2');
  });
});

describe('POST /pools/{id}/claim with books larger than one transaction', () => {
  // Two customers with 48 open tasks each: 2 counters + 2 x (3 + 48) = 104 items, over 100.
  async function twoHeavyCustomers() {
    const setupped = await booksInPool(5);
    const heavy: string[] = [];
    for (const name of ['Heavy A', 'Heavy B']) {
      const id = await setupped.customer(name);
      await Promise.all(Array.from({ length: 48 }, (_, i) => setupped.task(setupped.lastOwner, id, `Task ${i}`)));
      await setupped.release(id);
      heavy.push(id);
    }
    return { ...setupped, heavy };
  }

  it('refuses chosen customers whose books do not fit together (409 claim-too-large naming each), claiming none; each alone is fine', async () => {
    const { tenant, poolId, rep, heavy } = await twoHeavyCustomers();
    const claimer = await rep('rep-2');

    const refused = await claimFrom(claimer, poolId, { customerIds: heavy });

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'urn:crm:problem:claim-too-large',
      items: 104,
      limit: 100,
      books: [{ customerId: heavy[0], bookItems: 48 }, { customerId: heavy[1], bookItems: 48 }],
    });
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    for (const id of heavy) expect((await call<Customer>('GET', `/customers/${id}`, { token: admin })).body.ownerId).toBeNull();
    expect((await claimFrom(claimer, poolId, { customerIds: [heavy[0]] })).body.claimed).toHaveLength(1);
  });

  it('by count claims the longest-waiting that fit, fewer than asked; the next request starts with the one left', async () => {
    const { poolId, rep, heavy } = await twoHeavyCustomers();
    const claimer = await rep('rep-2');

    const first = await claimFrom(claimer, poolId, { count: 2 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ requested: 2, claimed: [expect.objectContaining({ id: heavy[0] })] });
    expect(first.body.claimed).toHaveLength(1);

    const afterFirst = await call<{ items: Task[] }>('GET', '/tasks?when=open&limit=100', { token: claimer });
    expect(afterFirst.body.items).toHaveLength(48);

    const next = await claimFrom(claimer, poolId, { count: 2 });
    expect(next.body.claimed.map((c) => c.id)).toEqual([heavy[1]]);
    const all = await call<{ items: Task[] }>('GET', '/tasks?when=open&limit=100', { token: claimer });
    expect(all.body.items).toHaveLength(96);
  });
});
