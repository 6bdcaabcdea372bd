import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { reclaimRescheduleContinuedV1 } from '../../../events/reclaim-reschedule-continued.v1';
import type { SweepReport } from '../../../shared/allocation/reclaim-digest-use-case';
import { keys } from '../../../shared/keys';
import { outboxItem } from '../../../shared/outbox/outbox';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from '../client';

// Closing the sweep's lazy-scheduling gaps: a tenant's first pool and a pool policy change reach
// customers whose reclaim check the sweep removed (no pool, exempt) or computed under the old
// policy. Schedule and time travel as in reclaim.test.ts; the rescheduler is an asynchronous
// rule target, so the tests poll the bus record until its delivery is done.

interface Customer {
  id: string;
  ownerId: string | null;
  poolId: string | null;
  locked: boolean;
  version: number;
}
interface Execution {
  flow: string;
  status: string;
  output: SweepReport;
}
interface BusRecord {
  event: { 'detail-type': string; detail: { id: string; tenantId: string; data: Record<string, unknown> } };
  matchedRules: string[];
  deliveries: { rule: string; status: string }[];
}

const POLICY = {
  rules: { noFollowUpDays: 30 },
  warningDaysBefore: 0,
  claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 500, maxLockedPerRep: 10 },
  reclaimCooldownDays: 7,
};

const advance = async (by: string) => (await call<{ now: string }>('POST', '/_local/clock', { body: { advance: by } })).body.now;

async function sweep(): Promise<Execution> {
  const before = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.length;
  expect((await call('POST', '/_local/schedules/reclaim/run')).status).toBe(200);
  const mine = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.slice(before).filter((e) => e.flow === 'reclaim');
  expect(mine.map((e) => e.status)).toEqual(['SUCCEEDED']);
  return mine[0]!;
}

const RESCHEDULER_RULE = /RescheduleReclaimChecks/;

/** Polls the local bus until the tenant's event of this type was delivered to the rescheduler (or fails on a failed delivery). */
async function rescheduled(detailType: string, tenantId: string, which: (r: BusRecord) => boolean = () => true): Promise<BusRecord> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
    const record = body.events.find((r) => r.event.detail.tenantId === tenantId && which(r));
    const delivery = record?.deliveries.find((d) => RESCHEDULER_RULE.test(d.rule));
    if (delivery?.status === 'failed') throw new Error(`${detailType} for ${tenantId}: delivery to the rescheduler failed`);
    if (record && delivery?.status === 'delivered') return record;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${detailType} of ${tenantId} to reach the rescheduler`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Tenant {
  id: string;
  admin: string;
  rep: string;
  repId: string;
}

async function newTeam(): Promise<Tenant> {
  const id = newTenant();
  const repId = `rep-${randomUUID().slice(0, 8)}`;
  return { id, admin: await tokenFor(id, 'admin-1', ['admin']), rep: await tokenFor(id, repId, ['rep']), repId };
}

async function createPool(t: Tenant, name: string, policy: Record<string, unknown> = POLICY): Promise<{ id: string; version: number }> {
  const res = await call<{ id: string; version: number }>('POST', '/pools', { token: t.admin, body: { name, members: { users: [], groups: ['rep'] }, policy } });
  expect(res.status).toBe(201);
  return res.body;
}

async function patchPolicy(t: Tenant, pool: { id: string; version: number }, policy: Record<string, unknown>) {
  const res = await call<{ policyVersion: number }>('PATCH', `/pools/${pool.id}`, {
    token: t.admin,
    body: { policy },
    contentType: 'application/merge-patch+json',
    headers: { 'if-match': `"${pool.version}"` },
  });
  expect(res.status).toBe(200);
  return res.body;
}

async function createCustomer(t: Tenant, name: string): Promise<Customer> {
  const res = await call<Customer>('POST', '/customers', { token: t.rep, body: { name } });
  expect(res.status).toBe(201);
  return res.body;
}

const read = async (t: Tenant, id: string) => (await call<Customer>('GET', `/customers/${id}`, { token: t.admin })).body;
/** The stored profile, for the bookkeeping attributes the API does not show. */
const stored = async (t: Tenant, id: string) =>
  (await db().send(new GetCommand({ TableName: stack().tableName, Key: keys.customer(t.id, id), ConsistentRead: true }))).Item!;

/** Whole days from the assignment to the stored check (a check set to now, the same day, is 0). */
const daysToCheck = (item: Record<string, unknown>) => Math.floor((Date.parse(String(item.reclaimCheckAt)) - Date.parse(String(item.assignedAt))) / 86_400_000);

beforeAll(async () => {
  // Other files leave due customers behind in a shared runtime: move past their deadlines and drain them.
  await advance('P400D');
  for (let i = 0; i < 10 && (await sweep()).output.due > 0; i++);
}, 120_000);

describe('rescheduling reclaim checks after a pool change', () => {
  it("schedules the customers of a tenant without pools again when its first pool is created; they are reclaimed N days later", async () => {
    const t = await newTeam();
    const a = await createCustomer(t, 'Poolless Alpha');
    const b = await createCustomer(t, 'Poolless Beta');
    const run = await sweep();
    expect(run.output.noPool).toBeGreaterThanOrEqual(2);
    for (const c of [a, b]) expect(await stored(t, c.id)).toMatchObject({ reclaimCheckAt: null, ownerId: t.repId });
    expect((await stored(t, a.id)).GSI2PK).toBeUndefined();

    const pool = await createPool(t, 'General');
    const event = await rescheduled('crm.pool.created.v1', t.id);
    expect(event.event.detail.data).toEqual({ poolId: pool.id, policyVersion: 1, isDefault: true, firstPool: true });
    for (const c of [a, b]) {
      const item = await stored(t, c.id);
      expect(item.reclaimCheckAt).toEqual(expect.any(String));
      expect(item.GSI2SK).toBe(`${item.reclaimCheckAt}#${t.id}#${c.id}`);
      // Bookkeeping: the version (an editor's ETag) did not move.
      expect(item.version).toBe(c.version);
    }

    await sweep();
    expect(await read(t, a.id)).toMatchObject({ ownerId: t.repId });
    await advance('P31D');
    await sweep();
    for (const c of [a, b]) expect(await read(t, c.id)).toMatchObject({ ownerId: null, poolId: pool.id });

    // A second pool is not the first: the rule's filter does not even invoke the rescheduler.
    await createPool(t, 'Second');
    await settle();
    const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.pool.created.v1');
    const second = body.events.filter((r) => r.event.detail.tenantId === t.id && r.event.detail.data.firstPool === false);
    expect(second).toHaveLength(1);
    expect(second[0]!.matchedRules.some((rule) => RESCHEDULER_RULE.test(rule))).toBe(false);
  });

  it('reclaims a locked customer once the policy stops exempting locks', async () => {
    const t = await newTeam();
    const pool = await createPool(t, 'General');
    await rescheduled('crm.pool.created.v1', t.id);
    const locked = await createCustomer(t, 'Locked Forever');
    expect((await call('POST', `/customers/${locked.id}/lock`, { token: t.rep })).status).toBe(200);
    await sweep();
    expect(await stored(t, locked.id)).toMatchObject({ reclaimCheckAt: null, homePoolId: pool.id });

    await advance('P31D');
    await sweep();
    expect(await read(t, locked.id)).toMatchObject({ ownerId: t.repId, locked: true });

    const changed = await patchPolicy(t, pool, { ...POLICY, exempt: { locked: false, closedWon: true } });
    expect(changed.policyVersion).toBe(2);
    expect((await rescheduled('crm.pool.policy-changed.v1', t.id)).event.detail.data).toEqual({ poolId: pool.id, policyVersion: 2, isDefault: true });
    expect((await stored(t, locked.id)).reclaimCheckAt).toEqual(expect.any(String));

    await sweep();
    expect(await read(t, locked.id)).toMatchObject({ ownerId: null, poolId: pool.id, locked: false });
  });

  it('reclaims at the new, shorter deadline, not the old one', async () => {
    const t = await newTeam();
    const pool = await createPool(t, 'General', { ...POLICY, rules: { noFollowUpDays: 60 } });
    await rescheduled('crm.pool.created.v1', t.id);
    const c = await createCustomer(t, 'Slow Burner');
    await sweep();
    expect(daysToCheck(await stored(t, c.id))).toBe(60);

    await advance('P10D');
    await patchPolicy(t, pool, { ...POLICY, rules: { noFollowUpDays: 30 } });
    await rescheduled('crm.pool.policy-changed.v1', t.id);
    await sweep();
    expect(daysToCheck(await stored(t, c.id))).toBe(30);

    await advance('P21D');
    await sweep();
    expect(await read(t, c.id)).toMatchObject({ ownerId: null, poolId: pool.id });
    const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.customer.reclaimed.v1');
    expect(body.events.filter((r) => r.event.detail.data.customerId === c.id).map((r) => r.event.detail.data)).toEqual([
      expect.objectContaining({ rule: 'noFollowUpDays', days: 30, policyVersion: 2 }),
    ]);
  });

  it('goes on after the cursor of a continuation event, leaving the customers before it alone', async () => {
    const t = await newTeam();
    const pool = await createPool(t, 'General');
    await rescheduled('crm.pool.created.v1', t.id);
    const customers = [];
    for (let i = 0; i < 3; i++) customers.push(await createCustomer(t, `Paged ${i}`));
    await sweep();
    const before = await Promise.all(customers.map(async (c) => stored(t, c.id)));
    expect(before.map(daysToCheck)).toEqual([30, 30, 30]);

    // What a pass that ran out of time after the first (oldest) customer writes to the outbox.
    const detail = reclaimRescheduleContinuedV1.schema.parse({
      id: `01CONT${randomUUID().replace(/-/g, '').slice(0, 20).toUpperCase()}`,
      type: reclaimRescheduleContinuedV1.detailType,
      occurredAt: new Date().toISOString(),
      tenantId: t.id,
      actor: { type: 'system', id: 'reclaim' },
      correlationId: 'test-continuation',
      data: { trigger: 'policy-changed', poolId: pool.id, policyVersion: 1, after: before[0]!.GSI4SK, originEventId: 'test-origin', invocations: 1 },
    });
    await db().send(new PutCommand({ TableName: stack().tableName, Item: outboxItem(keys.pool(t.id, pool.id).PK, detail.type, detail) }));
    await rescheduled('crm.reclaim.reschedule-continued.v1', t.id, (r) => r.event.detail.id === detail.id);

    const after = await Promise.all(customers.map(async (c) => stored(t, c.id)));
    expect(after.map(daysToCheck)).toEqual([30, 0, 0]);
  });
});
