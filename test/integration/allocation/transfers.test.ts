import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Deal {
  id: string;
  ownerId: string;
  status: string;
  version: number;
}
interface Task {
  id: string;
  assigneeId: string;
}

async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  for (const [id, teamId] of [['rep-1', 'north'], ['rep-2', 'south'], ['rep-3', 'south']] as const) {
    expect((await call('PUT', `/users/${id}`, { token: admin, body: { email: `${id}@example.com`, name: id, teamId } })).status).toBeLessThan(300);
  }
  const rep1 = await tokenFor(tenant, 'rep-1', ['rep'], 'north');
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep1, body: { name: 'Northwind Traders', emails: [uniqueEmail('nw')] } })).body.id;
  const pipeline = (await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'Sales', stages: [{ id: 'qualify', name: 'Qualify', probability: 20 }] } })).body.id;
  const deal = async (name: string) => {
    const res = await call<Deal>('POST', '/deals', { token: rep1, body: { customerId: customer, pipelineId: pipeline, name, amount: '5000.00', currency: 'EUR', expectedCloseDate: '2027-03-31' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  return { tenant, admin, rep1, customer, deal };
}

const assign = (token: string, id: string, ownerId: string, fromOwnerId?: string) =>
  call<{ ownerId: string; teamId: string | null; errors?: { path: string }[]; type?: string }>('POST', `/customers/${id}/assign`, { token, body: { ownerId, ...(fromOwnerId ? { fromOwnerId } : {}) } });

describe('a transfer moves the whole book', () => {
  it("gives the new owner the open deals and the old owner's open tasks in the same commit; closed deals keep their owner; the old owner loses the deal with the customer", async () => {
    const { tenant, admin, rep1, customer, deal } = await setup();
    const open = await deal('Open one');
    const won = await deal('Won one');
    expect((await call('PATCH', `/deals/${won.id}`, { token: rep1, body: { status: 'won' }, headers: { 'if-match': `"${won.version}"` } })).status).toBe(200);
    const repTask = (await call<Task>('POST', '/tasks', { token: rep1, body: { title: 'Call back', type: 'call', dueAt: '2027-01-10T09:00:00Z', customerId: customer } })).body;
    const adminTask = (await call<Task>('POST', '/tasks', { token: admin, body: { title: 'Audit', type: 'todo', dueAt: '2027-01-10T09:00:00Z', customerId: customer } })).body;

    const moved = await assign(admin, customer, 'rep-2');
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ ownerId: 'rep-2', teamId: 'south' });

    const rep2 = await tokenFor(tenant, 'rep-2', ['rep'], 'south');
    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: rep2 })).body).toMatchObject({ ownerId: 'rep-2', status: 'open' });
    expect((await call<Deal>('GET', `/deals/${won.id}`, { token: admin })).body).toMatchObject({ ownerId: 'rep-1', status: 'won' });
    expect((await call('GET', `/deals/${open.id}`, { token: rep1 })).status).toBe(404);
    expect((await call<Task>('GET', `/tasks/${repTask.id}`, { token: rep2 })).body.assigneeId).toBe('rep-2');
    expect((await call<Task>('GET', `/tasks/${adminTask.id}`, { token: admin })).body.assigneeId).toBe('admin-1');
    const myDeals = await call<{ items: Deal[] }>('GET', '/deals?owner=me', { token: rep2 });
    expect(myDeals.body.items.map((d) => d.id)).toContain(open.id);
    const rep2Tasks = await call<{ items: Task[] }>('GET', '/tasks?when=open', { token: rep2 });
    expect(rep2Tasks.body.items.map((t) => t.id)).toEqual([repTask.id]);
    expect((await call<{ items: Task[] }>('GET', '/tasks?when=open', { token: rep1 })).body.items).toEqual([]);
  });

  it('refuses an assignee who is not a user of the tenant (400 at ownerId), changing nothing', async () => {
    const { admin, customer } = await setup();
    const refused = await assign(admin, customer, 'rep-typo');
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['ownerId']);
    expect((await call<{ ownerId: string }>('GET', `/customers/${customer}`, { token: admin })).body.ownerId).toBe('rep-1');
  });

  it('lets one of two concurrent transfers of what both saw as rep-1\'s customer win; the other gets 409 and nothing of it is written', async () => {
    const { admin, customer, deal } = await setup();
    const open = await deal('Contested');
    const results = await Promise.all([assign(admin, customer, 'rep-2', 'rep-1'), assign(admin, customer, 'rep-3', 'rep-1')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body.ownerId;
    expect(results.find((r) => r.status === 409)!.body.type).toMatch(/transfer-conflict/);
    expect((await call<{ ownerId: string }>('GET', `/customers/${customer}`, { token: admin })).body.ownerId).toBe(winner);
    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: admin })).body.ownerId).toBe(winner);
  });
});

describe('into a pool and out again', () => {
  it('a release takes the open deals along unowned; whoever claims the customer gets them and the tasks its last owner left', async () => {
    const { tenant, admin, rep1, customer, deal } = await setup();
    const pool = await call<{ id: string }>('POST', '/pools', {
      token: admin,
      body: { name: 'General', members: { users: [], groups: ['rep'] }, policy: { rules: { noFollowUpDays: 30 }, warningDaysBefore: 3, claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 100, maxLockedPerRep: 10 }, reclaimCooldownDays: 0 } },
    });
    expect(pool.status, JSON.stringify(pool.body)).toBe(201);
    const open = await deal('Waiting deal');
    const task = (await call<Task>('POST', '/tasks', { token: rep1, body: { title: 'Chase', type: 'call', dueAt: '2027-01-10T09:00:00Z', customerId: customer } })).body;

    expect((await call('POST', `/customers/${customer}/release`, { token: rep1, body: { poolId: pool.body.id, reason: 'Not my territory' } })).status).toBe(200);
    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: admin })).body.ownerId).toBeNull();
    expect((await call('GET', `/deals/${open.id}`, { token: rep1 })).status).toBe(404);
    expect((await call<{ items: Deal[] }>('GET', '/deals?owner=me', { token: rep1 })).body.items).toEqual([]);

    const rep3 = await tokenFor(tenant, 'rep-3', ['rep'], 'south');
    expect((await call('POST', `/customers/${customer}/claim`, { token: rep3 })).status).toBe(200);
    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: rep3 })).body.ownerId).toBe('rep-3');
    expect((await call<Task>('GET', `/tasks/${task.id}`, { token: rep3 })).body.assigneeId).toBe('rep-3');
  });
});

describe("POST /users/{userId}/transfer: handing a leaver's book over", () => {
  it('moves every customer of the book, with its open deals, once, in the background; progress is readable', async () => {
    const { tenant, admin, rep1, customer, deal } = await setup();
    const open = await deal('Leaver deal');
    const others: string[] = [customer];
    for (let i = 0; i < 11; i++) others.push((await call<{ id: string }>('POST', '/customers', { token: rep1, body: { name: `Book ${i}`, emails: [uniqueEmail('book')] } })).body.id);

    const bad = await call<{ errors: { path: string }[] }>('POST', '/users/rep-1/transfer', { token: admin, body: { toUserId: 'rep-2', poolId: '01JD0000000000000000000000' } });
    expect(bad.body.errors.map((e) => e.path)).toEqual(['toUserId']);
    expect((await call('POST', '/users/rep-1/transfer', { token: rep1, body: { toUserId: 'rep-2' } })).status).toBe(403);

    const started = await call<{ id: string; status: string }>('POST', '/users/rep-1/transfer', { token: admin, body: { toUserId: 'rep-2' } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.headers.get('location')).toBe('/users/rep-1/transfer');
    await settle();

    const progress = await call<{ id: string; status: string; moved: number; skipped: number }>('GET', '/users/rep-1/transfer', { token: admin });
    expect(progress.body).toMatchObject({ id: started.body.id, status: 'done', moved: 12, skipped: 0 });
    expect((await call<{ status: number }>('GET', '/users/rep-1/transfer', { token: rep1 })).status).toBe(200);
    const rep2 = await tokenFor(tenant, 'rep-2', ['rep'], 'south');
    for (const id of others) expect((await call<{ ownerId: string }>('GET', `/customers/${id}`, { token: rep2 })).body.ownerId).toBe('rep-2');
    expect((await call<Deal>('GET', `/deals/${open.id}`, { token: rep2 })).body.ownerId).toBe('rep-2');
    // Exactly once: one transfer entry per customer in its ownership history.
    const history = await call<{ ownershipHistory: { reason: string; from: string; to: string }[] }>('GET', `/customers/${customer}/360`, { token: admin });
    expect(history.body.ownershipHistory.filter((h) => h.reason === 'assigned')).toEqual([expect.objectContaining({ from: 'rep-1', to: 'rep-2' })]);

    // A second hand-over of the now empty book is done at once, moving nothing.
    expect((await call('POST', '/users/rep-1/transfer', { token: admin, body: { toUserId: 'rep-3' } })).status).toBe(202);
    await settle();
    expect((await call<{ moved: number; status: string }>('GET', '/users/rep-1/transfer', { token: admin })).body).toMatchObject({ moved: 0, status: 'done' });
  });
});
