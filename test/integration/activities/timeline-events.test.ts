import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createPool, op, pooled, setup } from '../allocation-fixtures';
import { call, rawTable as db, settle, stack, tokenFor } from '../client';

// The timeline consumer (docs/events.md, "Consumers"): one entry per covered domain event, on the
// customer's timeline, written once per event id.

interface Activity {
  id: string;
  type: string;
  occurredAt: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  actor: { type: string; id: string };
}
interface BusRecord {
  event: { id: string; 'detail-type': string; detail: { id: string; tenantId: string; occurredAt: string; data: { customerId?: string; dealId?: string } } };
  matchedRules: string[];
  deliveries: { rule: string; status: string; attempts: number }[];
}

const SYSTEM_TYPES = ['deal', 'ownership', 'task'];

const timeline = async (token: string, id: string) => {
  const res = await call<{ items: Activity[] }>('GET', `/customers/${id}/activities?limit=100`, { token });
  expect(res.status).toBe(200);
  return res.body.items;
};

const busEvents = async (detailType: string, tenant: string) => {
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.filter((r) => r.event.detail.tenantId === tenant);
};

/** Every activity item of a customer's partition, straight from the table (an erased customer answers 410). */
async function activityItems(tenant: string, id: string) {
  const { Items } = await db().send(
    new QueryCommand({
      TableName: stack().tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :act)',
      ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${id}`, ':act': 'ACT#' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** Publishes a domain event as a writer would: an outbox item the stream relays to the bus (here in a partition of its own). */
async function publish(tenant: string, detailType: string, data: Record<string, unknown>) {
  const id = `01JTL${Math.random().toString(36).slice(2, 12).toUpperCase()}`;
  const detail = { id, type: detailType, occurredAt: new Date().toISOString(), tenantId: tenant, actor: { type: 'user', id: 'rep-1' }, correlationId: 'timeline-test', data };
  await db().send(new PutCommand({ TableName: stack().tableName, Item: { PK: `T#${tenant}#TEST`, SK: `$EVT#${id}`, entity: 'OutboxEvent', source: 'crm', detailType, detail } }));
  await settle();
  return id;
}

/** How the timeline consumer's delivery of an event ended (`delivered` once it handled it without throwing). */
async function timelineDelivery(tenant: string, detailType: string, eventId: string) {
  const record = (await busEvents(detailType, tenant)).find((r) => r.event.detail.id === eventId);
  return record?.deliveries.filter((d) => d.rule.startsWith('DomainEventsToRecordTimelineEntry')).map((d) => [d.status, d.attempts]);
}

const lostDeal = (customerId: string) => ({
  dealId: '01JTLDEAL000000000000000001', customerId, pipelineId: 'p-1', stageId: 'qualified', ownerId: 'rep-1', amount: '10.00', currency: 'EUR', closedAt: new Date().toISOString(), version: 2,
});

describe('the timeline sees the domain events', () => {
  it('lists one entry per event, with its type, subject and the event as its id, in the timeline and the 360 view', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const poolId = await createPool(admin, { name: 'General' });
    const id = await pooled(seeder, poolId);
    const ann = await rep('ann');
    expect((await call('PUT', '/users/bob', { token: admin, body: { email: `bob-${tenant}@example.com`, name: 'Bob' } })).status).toBeLessThan(300);
    const bob = await tokenFor(tenant, 'bob', ['rep']);
    expect((await op(ann, id, 'claim')).status).toBe(200);
    expect((await op(admin, id, 'assign', { ownerId: 'bob' })).status).toBe(200);

    const stages = [{ id: 'qualified', name: 'Qualified', probability: 10 }, { id: 'proposal', name: 'Proposal', probability: 50 }];
    const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages } });
    expect(pipeline.status).toBe(201);
    const deal = await call<{ id: string; version: number }>('POST', '/deals', {
      token: bob,
      body: { name: 'Deal', customerId: id, pipelineId: pipeline.body.id, stageId: 'qualified', amount: '1200.00', currency: 'EUR', expectedCloseDate: '2027-02-15' },
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const patch = (version: number, body: Record<string, unknown>) =>
      call<{ version: number }>('PATCH', `/deals/${deal.body.id}`, { token: bob, body, contentType: 'application/merge-patch+json', headers: { 'if-match': `"${version}"` } });
    const moved = await patch(deal.body.version, { stageId: 'proposal' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await patch(moved.body.version, { status: 'won' })).status).toBe(200);
    const now = Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
    const task = await call('POST', '/tasks', { token: bob, body: { title: 'Kick-off call', type: 'call', dueAt: new Date(now + 86_400_000).toISOString(), customerId: id } });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    await settle();

    const entries = (await timeline(bob, id)).filter((a) => SYSTEM_TYPES.includes(a.type));
    expect(entries.map((a) => [a.type, a.subject])).toEqual([
      ['task', expect.stringMatching(/^Task opened: call, due /)],
      ['deal', 'Deal won: 1200.00 EUR'],
      ['deal', 'Deal moved to another stage (50%)'],
      ['deal', 'Deal opened: 1200.00 EUR'],
      ['ownership', 'Transferred to another owner'],
      ['ownership', 'Claimed from a pool'],
      ['ownership', 'Released to a pool'],
    ]);
    expect(entries[2]!.payload).toMatchObject({ dealId: deal.body.id, fromStageId: 'qualified', toStageId: 'proposal' });
    expect(entries[4]!.payload).toMatchObject({ change: 'assigned', fromOwnerId: 'ann', toOwnerId: 'bob', poolId: null });
    expect(entries[4]!.actor).toEqual({ type: 'user', id: 'admin-1', name: null });
    // The entry's id and time are the event's.
    const [won] = await busEvents('crm.deal.won.v1', tenant);
    expect(entries[1]).toMatchObject({ id: won!.event.detail.id, occurredAt: won!.event.detail.occurredAt });
    expect(won!.matchedRules.some((rule) => rule.startsWith('DomainEventsToRecordTimelineEntry'))).toBe(true);

    // The 360 view reads the same entries in its same Query.
    const view = await call<{ latestActivities: Activity[] }>('GET', `/customers/${id}/360`, { token: bob });
    expect(view.body.latestActivities.filter((a) => SYSTEM_TYPES.includes(a.type)).map((a) => a.id)).toEqual(entries.map((a) => a.id));
  });

  it('writes nothing new for a redelivered event', async () => {
    const { tenant, admin, seeder, rep } = await setup();
    const id = await pooled(seeder, await createPool(admin, { name: 'General' }));
    expect((await op(await rep('ann'), id, 'claim')).status).toBe(200);
    await settle();
    const before = await timeline(admin, id);
    expect(before.filter((a) => a.type === 'ownership')).toHaveLength(2);

    const [claimed] = await busEvents('crm.customer.claimed.v1', tenant);
    const redeliveries = await Promise.all([1, 2].map(() => call('POST', `/_local/events/${claimed!.event.id}/redeliver`)));
    expect(redeliveries.map((r) => r.status)).toEqual([200, 200]);
    await settle();

    expect(await timeline(admin, id)).toEqual(before);
  });

  it('writes nothing for an erased customer, and the event does not fail', async () => {
    const { tenant, admin } = await setup();
    const created = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Forget me', kind: 'company' } });
    expect((await call('DELETE', `/customers/${created.body.id}`, { token: admin })).status).toBe(204);
    await settle();
    const before = await activityItems(tenant, created.body.id);

    const eventId = await publish(tenant, 'crm.deal.lost.v1', lostDeal(created.body.id));

    expect(await timelineDelivery(tenant, 'crm.deal.lost.v1', eventId)).toEqual([['delivered', 1]]);
    expect(await activityItems(tenant, created.body.id)).toEqual(before);
  });

  it("puts an event about a merged customer on the survivor's timeline", async () => {
    const { tenant, admin } = await setup();
    const create = async (name: string) => (await call<{ id: string }>('POST', '/customers', { token: admin, body: { name, kind: 'company' } })).body.id;
    const [survivor, source] = [await create('Survivor'), await create('Source')];
    expect((await call('POST', `/customers/${survivor}/merge`, { token: admin, body: { sourceId: source } })).status).toBe(200);
    await settle();

    const eventId = await publish(tenant, 'crm.deal.lost.v1', lostDeal(source));
    expect(await timelineDelivery(tenant, 'crm.deal.lost.v1', eventId)).toEqual([['delivered', 1]]);

    expect((await timeline(admin, survivor)).filter((a) => a.id === eventId).map((a) => [a.type, a.subject])).toEqual([['deal', 'Deal lost: 10.00 EUR']]);
    expect((await activityItems(tenant, source)).filter((a) => a.id === eventId)).toEqual([]);
  });
});
