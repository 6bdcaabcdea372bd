import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepReport } from '../../../shared/allocation/reclaim-digest-use-case';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from '../client';

// The reclaim sweep end to end on the local runtime: schedule -> state machine -> Lambdas ->
// DynamoDB -> stream -> bus, and the digests at the SES stand-in. Time travels with /_local/clock;
// the runtime (and its clock) is shared, so every test works in tenants of its own.

interface Customer {
  id: string;
  name: string;
  ownerId: string | null;
  poolId: string | null;
  locked: boolean;
  version: number;
  lifecycleStage: string;
}
interface Execution {
  flow: string;
  status: string;
  output: SweepReport;
  startDate: string;
}
interface BusRecord {
  event: { 'detail-type': string; detail: { tenantId: string; actor: unknown; data: Record<string, unknown> } };
}
interface Email {
  to: string[];
  subject: string;
  text?: string;
}

const POLICY = {
  rules: { noFollowUpDays: { default: 30, byLevel: { A: 60 } } },
  warningDaysBefore: 3,
  claimLimits: { perRequest: 5, perRepPerDay: 20, maxOwnedPerRep: 500, maxLockedPerRep: 10 },
  reclaimCooldownDays: 7,
};

const advance = async (by: string) => (await call<{ now: string }>('POST', '/_local/clock', { body: { advance: by } })).body.now;

/** Runs the reclaim schedule (the call waits until everything it caused has settled) and returns the run. */
async function sweep(): Promise<Execution> {
  const before = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.length;
  const run = await call('POST', '/_local/schedules/reclaim/run');
  expect(run.status).toBe(200);
  const executions = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions;
  const mine = executions.slice(before).filter((e) => e.flow === 'reclaim');
  expect(mine).toHaveLength(1);
  expect(mine[0]!.status).toBe('SUCCEEDED');
  return mine[0]!;
}

interface Tenant {
  id: string;
  admin: string;
  rep: string;
  repId: string;
  repEmail: string;
  pools: Record<string, string>;
}

/** A tenant with pools (the first is the default) and a rep in the directory (unless `address: false`). */
async function tenantWith(pools: Record<string, Record<string, unknown>>, options: { address?: boolean } = {}): Promise<Tenant> {
  const id = newTenant();
  const admin = await tokenFor(id, 'admin-1', ['admin']);
  const repId = `rep-${randomUUID().slice(0, 8)}`;
  const repEmail = `${repId}@example.com`;
  const ids: Record<string, string> = {};
  for (const [name, extra] of Object.entries(pools)) {
    const res = await call<{ id: string }>('POST', '/pools', { token: admin, body: { name, members: { users: [], groups: ['rep'] }, policy: POLICY, ...extra } });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
  }
  // The first pool starts a rescheduling pass (decision 39); let it finish so it races no sweep below.
  await settle();
  if (options.address !== false) {
    const put = await call('PUT', `/users/${repId}`, { token: admin, body: { email: repEmail, name: 'Rita Rep' } });
    expect(put.status).toBeLessThan(300);
  }
  return { id, admin, rep: await tokenFor(id, repId, ['rep']), repId, repEmail, pools: ids };
}

async function createCustomer(t: Tenant, body: Record<string, unknown>): Promise<Customer> {
  const res = await call<Customer>('POST', '/customers', { token: t.rep, body });
  expect(res.status).toBe(201);
  return res.body;
}

const read = async (t: Tenant, id: string) => (await call<Customer>('GET', `/customers/${id}`, { token: t.admin })).body;

async function patch(t: Tenant, id: string, body: Record<string, unknown>) {
  const current = await read(t, id);
  const res = await call('PATCH', `/customers/${id}`, { token: t.admin, body, contentType: 'application/merge-patch+json', headers: { 'if-match': `"${current.version}"` } });
  expect(res.status).toBe(200);
}

async function eventsFor(detailType: string, customerId: string) {
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.filter((e) => e.event.detail.data?.customerId === customerId).map((e) => e.event.detail);
}

async function mailTo(address: string) {
  const { body } = await call<{ emails: Email[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(address));
}

const ZERO = { due: 0, reclaimed: 0, warned: 0, rescheduled: 0, exempt: 0, noPool: 0, skippedRace: 0, failed: 0, digests: 0, noAddress: 0, digestsFailed: 0, capped: false, failures: [] };

beforeAll(async () => {
  // Earlier test files leave owned customers behind (most in tenants without pools). Move well
  // past every deadline they can have and sweep until nothing is due, so the counts below are ours.
  await advance('P400D');
  for (let i = 0; i < 10 && (await sweep()).output.due > 0; i++);
}, 120_000);

describe('the reclaim sweep', () => {
  it('warns D days before, once per cycle, then reclaims into the routed pool with history, event and digest; the run counts every outcome', async () => {
    const t = await tenantWith({ General: {}, Fintech: { routing: { industries: ['Fintech'] } } });
    const x = await createCustomer(t, { name: 'Xenon Payments', industry: 'fintech' });
    const y = await createCustomer(t, { name: 'Yonder Labs', level: 'A' });

    // Created by a rep: checked at once, scheduled for the warning time (day 27 of 30, day 57 of 60).
    expect((await sweep()).output).toMatchObject({ ...ZERO, due: 2, rescheduled: 2 });

    await advance('P27DT1H');
    expect((await sweep()).output).toMatchObject({ ...ZERO, due: 1, warned: 1, digests: 1 });
    const [warning] = await mailTo(t.repEmail);
    expect(warning!.subject).toBe('Reclaim digest: 1 customer will go back soon');
    expect(warning!.text).toContain('Going back to the pool unless you follow up:\n- Xenon Payments, after ');
    expect(await eventsFor('crm.customer.reclaim-warning.v1', x.id)).toEqual([
      expect.objectContaining({ tenantId: t.id, actor: { type: 'system', id: 'reclaim' }, data: expect.objectContaining({ ownerId: t.repId, rule: 'noFollowUpDays', days: 30 }) }),
    ]);

    // A level change makes the sweep look again at once; same deadline, same cycle: no second warning.
    await patch(t, x.id, { level: 'B' });
    expect((await sweep()).output).toMatchObject({ ...ZERO, due: 1, rescheduled: 1 });
    expect(await mailTo(t.repEmail)).toHaveLength(1);

    await advance('P3D');
    expect((await sweep()).output).toMatchObject({ ...ZERO, due: 1, reclaimed: 1, digests: 1 });

    expect(await read(t, x.id)).toMatchObject({ ownerId: null, poolId: t.pools.Fintech });
    expect(await read(t, y.id)).toMatchObject({ ownerId: t.repId, poolId: null });
    const view = await call<{ ownershipHistory: Record<string, unknown>[] }>('GET', `/customers/${x.id}/360`, { token: t.admin });
    expect(view.body.ownershipHistory.filter((h) => h.reason === 'reclaimed')).toEqual([
      expect.objectContaining({ from: t.repId, to: null, poolId: t.pools.Fintech, reason: 'reclaimed', actor: { type: 'system', id: 'reclaim' } }),
    ]);
    expect(await eventsFor('crm.customer.reclaimed.v1', x.id)).toEqual([
      expect.objectContaining({
        tenantId: t.id,
        data: { customerId: x.id, fromOwnerId: t.repId, toOwnerId: null, poolId: t.pools.Fintech, version: expect.any(Number), rule: 'noFollowUpDays', days: 30, policyVersion: 1 },
      }),
    ]);
    const digests = await mailTo(t.repEmail);
    expect(digests).toHaveLength(2);
    expect(digests[1]!.subject).toBe('Reclaim digest: 1 customer went back to the pool');
    expect(digests[1]!.text).toContain('Back in the pool (no follow-up before the deadline):\n- Xenon Payments');
  });

  it('takes N per customer level: A after 60 days, the others after 30', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0 } } }, { address: false });
    const plain = await createCustomer(t, { name: 'Plain Co' });
    const vip = await createCustomer(t, { name: 'Very Important', level: 'A' });
    await sweep();

    await advance('P31D');
    const run = await sweep();
    expect(await read(t, plain.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
    expect(await read(t, vip.id)).toMatchObject({ ownerId: t.repId });
    // The rep has no address in the directory: the digest is counted, not sent.
    expect(run.output.noAddress).toBeGreaterThanOrEqual(1);

    await advance('P30D');
    await sweep();
    expect(await read(t, vip.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
  });

  it('applies the deal rules: with no open deal for N days, or no won deal for N days, the earliest rule wins (no deals exist before the deals issue)', async () => {
    const dealRules = { ...POLICY, warningDaysBefore: 0, rules: { noFollowUpDays: 90, noOpenDealDays: 20, noWonDealDays: 45 } };
    const t = await tenantWith({ General: { policy: dealRules } }, { address: false });
    const worked = await createCustomer(t, { name: 'Busy But Dealless' });
    await sweep();

    // Follow-ups every week keep the follow-up rule away; they do not open a deal.
    for (let week = 0; week < 2; week++) {
      await advance('P7D');
      expect((await call('POST', `/customers/${worked.id}/activities`, { token: t.rep, body: { type: 'call', subject: 'Checking in' } })).status).toBe(201);
    }
    await advance('P6DT1H');
    await sweep();
    expect(await read(t, worked.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
    expect(await eventsFor('crm.customer.reclaimed.v1', worked.id)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ rule: 'noOpenDealDays', days: 20, fromOwnerId: t.repId }) }),
    ]);

    const wonOnly = await tenantWith({ General: { policy: { ...dealRules, rules: { noWonDealDays: 45 } } } }, { address: false });
    const waiting = await createCustomer(wonOnly, { name: 'Never Bought' });
    await sweep();
    await advance('P44D');
    await sweep();
    expect(await read(wonOnly, waiting.id)).toMatchObject({ ownerId: wonOnly.repId });
    await advance('P1DT1H');
    await sweep();
    expect(await eventsFor('crm.customer.reclaimed.v1', waiting.id)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ rule: 'noWonDealDays', days: 45 }) }),
    ]);
  });

  it('lets a follow-up logged just before the sweep win: it reschedules instead of reclaiming', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0 } } });
    const c = await createCustomer(t, { name: 'Busy Bee' });
    await sweep();

    await advance('P29DT23H');
    expect((await call('POST', `/customers/${c.id}/activities`, { token: t.rep, body: { type: 'call', subject: 'Checked in' } })).status).toBe(201);
    await advance('PT2H');
    const run = await sweep();

    expect(run.output.rescheduled).toBeGreaterThanOrEqual(1);
    expect(await read(t, c.id)).toMatchObject({ ownerId: t.repId });
    expect(await eventsFor('crm.customer.reclaimed.v1', c.id)).toEqual([]);

    // Thirty days after the follow-up it is due again.
    await advance('P30D');
    await sweep();
    expect(await read(t, c.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
  });

  it('exempts locked and closed-won customers while the exemption holds, and reclaims them once it ends', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0 } } });
    const locked = await createCustomer(t, { name: 'Locked Ltd' });
    const won = await createCustomer(t, { name: 'Won Inc' });
    expect((await call('POST', `/customers/${locked.id}/lock`, { token: t.rep })).status).toBe(200);
    await patch(t, won.id, { lifecycleStage: 'customer' });
    const first = await sweep();
    expect(first.output.exempt).toBeGreaterThanOrEqual(2);

    await advance('P31D');
    await sweep();
    expect(await read(t, locked.id)).toMatchObject({ ownerId: t.repId, locked: true });
    expect(await read(t, won.id)).toMatchObject({ ownerId: t.repId, lifecycleStage: 'customer' });

    // Unlocking and a stage change each make the sweep look again at once: both are long overdue.
    expect((await call('POST', `/customers/${locked.id}/unlock`, { token: t.rep })).status).toBe(200);
    await patch(t, won.id, { lifecycleStage: 'lead' });
    await sweep();
    expect(await read(t, locked.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
    expect(await read(t, won.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
  });

  it('reclaims locked and closed-won customers when the policy turns both exemptions off', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0, exempt: { locked: false, closedWon: false } } } });
    const locked = await createCustomer(t, { name: 'Locked Anyway' });
    const won = await createCustomer(t, { name: 'Won Anyway', lifecycleStage: 'customer' });
    expect((await call('POST', `/customers/${locked.id}/lock`, { token: t.rep })).status).toBe(200);
    await sweep();

    await advance('P31D');
    await sweep();

    expect(await read(t, locked.id)).toMatchObject({ ownerId: null, poolId: t.pools.General, locked: false });
    expect(await read(t, won.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
  });

  it('reports an unreadable customer as failed and goes on with the rest of the run', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0 } } });
    const good = await createCustomer(t, { name: 'Good Standing' });
    await sweep();
    const now = await advance('P31D');

    const brokenId = `01BROKEN${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`;
    const checkAt = new Date(Date.parse(now) - 60_000).toISOString();
    await db().send(
      new PutCommand({
        TableName: stack().tableName,
        Item: {
          ...keys.customer(t.id, brokenId),
          ...keys.reclaimCheck(t.id, brokenId, checkAt),
          entity: 'Customer',
          id: brokenId,
          tenantId: t.id,
          name: 'Broken Record',
          ownerId: t.repId,
          assignedAt: 'not a date',
          reclaimCheckAt: checkAt,
          updatedAt: now,
          version: 1,
        },
      }),
    );
    try {
      const run = await sweep();

      expect(run.output.failed).toBeGreaterThanOrEqual(1);
      expect(run.output.failures).toContainEqual({ tenantId: t.id, customerId: brokenId, error: 'UnreadableProfile' });
      expect(await read(t, good.id)).toMatchObject({ ownerId: null, poolId: t.pools.General });
    } finally {
      await db().send(new DeleteCommand({ TableName: stack().tableName, Key: keys.customer(t.id, brokenId) }));
    }
  });

  it('reclaims each customer once when two runs overlap: the second loses the race and skips', async () => {
    const t = await tenantWith({ General: { policy: { ...POLICY, warningDaysBefore: 0 } } });
    const customers = [];
    for (let i = 0; i < 12; i++) customers.push(await createCustomer(t, { name: `Racer ${i}` }));
    await sweep();
    await advance('P31D');

    const before = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.length;
    await Promise.all([call('POST', '/_local/schedules/reclaim/run'), call('POST', '/_local/schedules/reclaim/run')]);
    const runs = (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.slice(before);

    expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    for (const c of customers) {
      expect(await read(t, c.id)).toMatchObject({ ownerId: null });
      expect(await eventsFor('crm.customer.reclaimed.v1', c.id)).toHaveLength(1);
    }
    expect(runs.reduce((sum, r) => sum + r.output.reclaimed, 0)).toBeGreaterThanOrEqual(customers.length);
    expect(runs.reduce((sum, r) => sum + r.output.skippedRace, 0)).toBeGreaterThan(0);
  });
});
