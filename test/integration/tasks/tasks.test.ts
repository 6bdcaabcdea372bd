import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Task {
  id: string;
  title: string;
  type: string;
  status: string;
  dueAt: string;
  remindAt: string | null;
  reminderSentAt: string | null;
  customerId: string | null;
  dealId: string | null;
  leadId: string | null;
  assigneeId: string;
  source: string;
  outcome: string | null;
  activityId: string | null;
  version: number;
}
interface Page {
  items: Task[];
  cursor: string | null;
}
interface Problem {
  errors?: { path: string }[];
  slug?: string;
}
interface BusRecord {
  event: { detail: { tenantId: string; data: Record<string, unknown> } };
}

const runtimeNow = async () => Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
const at = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();

async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep'], 'north');
  const manager = await tokenFor(tenant, 'mgr-1', ['manager'], 'north');
  for (const [id, teamId] of [['rep-1', 'north'], ['rep-2', 'north'], ['rep-3', 'south']] as const) {
    expect((await call('PUT', `/users/${id}`, { token: admin, body: { email: `${id}-${tenant}@example.com`, name: id.toUpperCase(), teamId } })).status).toBeLessThan(300);
  }
  const customer = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Acme Tools', emails: [uniqueEmail('acme')] } });
  expect(customer.status).toBe(201);
  return { tenant, admin, rep, manager, customerId: customer.body.id, now: await runtimeNow() };
}

const create = (token: string, body: Record<string, unknown>) => call<Task & Problem>('POST', '/tasks', { token, body });
const list = (token: string, query: string) => call<Page & Problem>('GET', `/tasks?${query}`, { token });
const events = async (detailType: string, tenant: string) => {
  await settle();
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.map((r) => r.event.detail).filter((d) => d.tenantId === tenant).map((d) => d.data);
};

describe('POST /tasks and GET /tasks/{id}', () => {
  it('opens a task on a customer for yourself, readable by id and shown in the 360 view, with its event', async () => {
    const { tenant, rep, customerId, now } = await setup();
    const res = await create(rep, { title: 'Call back about pricing', type: 'call', dueAt: at(now, 120), customerId, remindAt: at(now, 90) });

    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('location')).toBe(`/tasks/${res.body.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ status: 'open', assigneeId: 'rep-1', customerId, dealId: null, leadId: null, source: 'user', version: 1 });
    expect((await call<Task>('GET', `/tasks/${res.body.id}`, { token: rep })).body.title).toBe('Call back about pricing');
    const view = await call<{ tasks: Task[] }>('GET', `/customers/${customerId}/360`, { token: rep });
    expect(view.body.tasks.map((t) => t.id)).toEqual([res.body.id]);
    expect(await events('crm.task.created.v1', tenant)).toEqual([expect.objectContaining({ taskId: res.body.id, assigneeId: 'rep-1', taskType: 'call', source: 'user' })]);
  });

  it('puts a deal task with the deal’s customer', async () => {
    const { admin, rep, customerId, now } = await setup();
    const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'Sales', stages: [{ id: 'qualify', name: 'Qualify', probability: 10 }] } });
    expect(pipeline.status, JSON.stringify(pipeline.body)).toBe(201);
    const deal = await call<{ id: string }>('POST', '/deals', { token: rep, body: { customerId, pipelineId: pipeline.body.id, name: 'Tools', amount: '1000.00', currency: 'EUR', expectedCloseDate: '2027-01-31' } });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);

    const res = await create(rep, { title: 'Send the quote', type: 'email', dueAt: at(now, 60), dealId: deal.body.id });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ dealId: deal.body.id, customerId });
  });

  it('answers 400 naming the field for what it cannot follow up or remind, and 403 for an assignee the caller may not give work to', async () => {
    const { admin, rep, manager, customerId, now } = await setup();
    const other = await setup();
    const base = { title: 'x', type: 'todo', dueAt: at(now, 60) };
    const paths = async (token: string, body: Record<string, unknown>) => {
      const res = await create(token, body);
      return [res.status, (res.body.errors ?? []).map((e) => e.path)];
    };

    expect(await paths(rep, base)).toEqual([400, ['customerId']]);
    expect(await paths(rep, { ...base, customerId, leadId: customerId })).toEqual([400, ['customerId']]);
    expect(await paths(rep, { ...base, customerId: other.customerId })).toEqual([400, ['customerId']]);
    expect(await paths(rep, { ...base, dealId: '01JD0000000000000000000000' })).toEqual([400, ['dealId']]);
    expect(await paths(rep, { ...base, customerId, remindAt: at(now, -30) })).toEqual([400, ['remindAt']]);
    expect(await paths(admin, { ...base, customerId, assigneeId: 'nobody' })).toEqual([400, ['assigneeId']]);
    expect((await create(rep, { ...base, customerId, assigneeId: 'rep-2' })).status).toBe(403);
    expect((await create(manager, { ...base, customerId, assigneeId: 'rep-3' })).status).toBe(403);
    expect((await create(manager, { ...base, customerId, assigneeId: 'rep-2' })).status).toBe(201);
    expect((await create(admin, { ...base, customerId, assigneeId: 'rep-3' })).status).toBe(201);
    const malformed = await call<Problem>('POST', '/tasks', { token: rep, body: { ...base, customerId, type: 'fax' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('hides a task from whoever is neither its assignee nor a reader of its record', async () => {
    const { admin, rep, customerId, now, tenant } = await setup();
    const task = (await create(admin, { title: 'Check contract', type: 'todo', dueAt: at(now, 60), customerId, assigneeId: 'rep-2' })).body;
    const stranger = await tokenFor(tenant, 'rep-3', ['rep'], 'south');
    const assignee = await tokenFor(tenant, 'rep-2', ['rep'], 'north');

    expect((await call('GET', `/tasks/${task.id}`, { token: stranger })).status).toBe(404);
    expect((await call('GET', `/tasks/${task.id}`, { token: assignee })).status).toBe(200);
    expect((await call('GET', `/tasks/${task.id}`, { token: rep })).status).toBe(200);
  });
});

describe('GET /tasks', () => {
  it('splits open tasks into overdue, today and upcoming in the caller’s time zone, and lists done ones, one Query per page', async () => {
    const { rep, customerId, now } = await setup();
    const dueIn = async (minutes: number, title: string) => (await create(rep, { title, type: 'call', dueAt: at(now, minutes), customerId })).body;
    const overdue = await dueIn(-90, 'overdue');
    const later = await dueIn(3 * 24 * 60, 'in three days');
    const soon = await dueIn(1, 'in a minute');
    const done = await dueIn(5, 'done already');
    expect((await call('POST', `/tasks/${done.id}/complete`, { token: rep, body: {} })).status).toBe(200);

    const titles = async (query: string) => (await list(rep, query)).body.items.map((t) => t.title);
    expect(await titles('when=overdue')).toEqual(['overdue']);
    expect(await titles('when=today&tz=UTC')).toEqual(['in a minute']);
    expect(await titles('when=upcoming')).toEqual(['in three days']);
    expect(await titles('when=done')).toEqual(['done already']);
    expect(await titles('')).toEqual(['overdue', 'in a minute', 'in three days']);
    expect([overdue.id, later.id, soon.id]).toHaveLength(3);

    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');
    const first = await list(rep, 'assignee=me&when=open&limit=2');
    const second = await list(rep, `assignee=me&when=open&limit=2&cursor=${first.body.cursor}`);
    const { body } = await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests');
    expect([...first.body.items, ...second.body.items].map((t) => t.title)).toEqual(['overdue', 'in a minute', 'in three days']);
    expect(Object.fromEntries(Object.entries(body.operations).map(([op, c]) => [op, c.requests]))).toEqual({ Query: 2 });
  });

  it("lets managers read their team's lists and nobody else's; bad parameters are 400s naming them", async () => {
    const { rep, manager, admin } = await setup();
    expect((await list(manager, 'assignee=rep-2')).status).toBe(200);
    expect((await list(manager, 'assignee=rep-3')).status).toBe(403);
    expect((await list(admin, 'assignee=rep-3')).status).toBe(200);
    expect((await list(rep, 'assignee=rep-2')).status).toBe(403);
    const bad = async (query: string) => (await list(admin, query)).body.errors?.map((e) => e.path);
    expect(await bad('assignee=ghost')).toEqual(['query.assignee']);
    expect(await bad('when=someday')).toEqual(['query.when']);
    expect(await bad('tz=Mars/Base')).toEqual(['query.tz']);
    expect(await bad('cursor=bm9wZQ')).toEqual(['query.cursor']);
  });
});

describe('PATCH /tasks/{id} and POST /tasks/{id}/complete', () => {
  it('changes an open task at the version read (412 when stale, 409 once done)', async () => {
    const { rep, customerId, now } = await setup();
    const task = (await create(rep, { title: 'Call', type: 'call', dueAt: at(now, 60), customerId })).body;
    const patch = (body: Record<string, unknown>, version: number) => call<Task & Problem>('PATCH', `/tasks/${task.id}`, { token: rep, body, headers: { 'if-match': `"${version}"` } });

    const moved = await patch({ dueAt: at(now, 240), title: 'Call (moved)' }, 1);
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ title: 'Call (moved)', version: 2, dueAt: at(now, 240) });
    expect((await patch({ title: 'stale' }, 1)).status).toBe(412);
    expect((await call('PATCH', `/tasks/${task.id}`, { token: rep, body: { title: 'no if-match' } })).status).toBe(428);
    await call('POST', `/tasks/${task.id}/complete`, { token: rep, body: {} });
    const afterDone = await patch({ title: 'too late' }, 3);
    expect(afterDone.status).toBe(409);
    expect(afterDone.body.slug ?? JSON.stringify(afterDone.body)).toMatch(/task-done/);
  });

  it('writes the timeline entry and the follow-up once, however often and however concurrently it is completed', async () => {
    const { tenant, rep, customerId, now } = await setup();
    const task = (await create(rep, { title: 'Discovery call', type: 'call', dueAt: at(now, 30), customerId })).body;

    const results = await Promise.all(Array.from({ length: 4 }, () => call<Task>('POST', `/tasks/${task.id}/complete`, { token: rep, body: { outcome: 'reached', note: 'Wants a demo' } })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(results.map((r) => r.body.activityId)).size).toBe(1);
    expect(results[0]!.body).toMatchObject({ status: 'done', outcome: 'reached', version: 2 });

    // Settled first: crm.task.created.v1 adds its `task` entry (the timeline consumer); completion adds none of its own.
    await settle();
    const timeline = await call<{ items: { id: string; type: string; subject: string; body: string; payload: Record<string, unknown> }[] }>('GET', `/customers/${customerId}/activities`, { token: rep });
    expect(timeline.body.items).toEqual([
      expect.objectContaining({ id: results[0]!.body.activityId, type: 'call', subject: 'Discovery call', body: 'Outcome: reached\n\nWants a demo', payload: expect.objectContaining({ taskId: task.id }) }),
      expect.objectContaining({ type: 'task', payload: expect.objectContaining({ taskId: task.id, taskType: 'call' }) }),
    ]);
    const customer = await call<{ lastFollowUpAt: string | null }>('GET', `/customers/${customerId}`, { token: rep });
    expect(customer.body.lastFollowUpAt).not.toBeNull();
    expect(await events('crm.task.completed.v1', tenant)).toHaveLength(1);
    expect((await events('crm.activity.logged.v1', tenant)).filter((e) => e.followUp === true)).toHaveLength(1);
  });
});

describe('reminders and speed to lead', () => {
  it('mails the assignee once when the reminder time comes, on the runtime clock', async () => {
    const { tenant, rep, customerId, now } = await setup();
    const task = (await create(rep, { title: 'Prepare the renewal', type: 'todo', dueAt: at(now, 120), customerId, remindAt: at(now, 30) })).body;
    const mails = async () => (await call<{ emails: { to: string[]; subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(`rep-1-${tenant}@example.com`));

    expect((await call('POST', '/_local/schedules/task-reminders/run')).status).toBe(200);
    expect(await mails()).toHaveLength(0);
    await call('POST', '/_local/clock', { body: { advance: 'PT31M' } });
    expect((await call('POST', '/_local/schedules/task-reminders/run')).status).toBe(200);
    expect((await call('POST', '/_local/schedules/task-reminders/run')).status).toBe(200);

    expect((await mails()).map((m) => m.subject)).toEqual(['Reminder: To-do: Prepare the renewal']);
    const after = (await call<Task>('GET', `/tasks/${task.id}`, { token: rep })).body;
    expect(after.reminderSentAt).not.toBeNull();
  });

  it("opens a first-contact call for the rep a lead is routed to, due at the rule's response time, once", async () => {
    const { tenant, admin, now } = await setup();
    const routing = await call('PUT', '/routing-rules', {
      token: admin,
      body: { rules: [{ name: 'All', teamId: 'north', regions: ['EMEA'], respondWithinMinutes: 15 }], teams: [{ teamId: 'north', reps: [{ userId: 'rep-2', available: true }] }] },
    });
    expect(routing.status, JSON.stringify(routing.body)).toBe(200);
    const form = await call<{ formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Contact us', source: 'website' } });
    expect((await call('POST', `/forms/${form.body.formKey}/submit`, { body: { email: uniqueEmail('lead'), name: 'Lena Lead', region: 'EMEA' } })).status).toBe(200);
    await settle();

    const assigned = await events('crm.lead.assigned.v1', tenant);
    expect(assigned).toHaveLength(1);
    const repTwo = await tokenFor(tenant, 'rep-2', ['rep'], 'north');
    const tasks = (await list(repTwo, 'when=open')).body.items;
    expect(tasks).toEqual([expect.objectContaining({ title: 'First contact: Lena Lead', type: 'call', source: 'lead-routing', leadId: assigned[0]!.leadId, assigneeId: 'rep-2', dueAt: assigned[0]!.respondBy })]);
    expect(Math.abs(Date.parse(String(assigned[0]!.respondBy)) - (now + 15 * 60_000))).toBeLessThan(60_000);

    // The lead task is completed like any other (no customer timeline yet: it records the completion).
    const done = await call<Task>('POST', `/tasks/${tasks[0]!.id}/complete`, { token: repTwo, body: { outcome: 'qualified' } });
    expect(done.body).toMatchObject({ status: 'done', activityId: null });
  });
});

describe('activities with details and a next step', () => {
  it('logs a call with direction, duration and outcome, and opens its next step in the same write', async () => {
    const { tenant, rep, customerId, now } = await setup();
    const res = await call<{ id: string; call: unknown; nextStepTaskId: string | null } & Problem>('POST', `/customers/${customerId}/activities`, {
      token: rep,
      body: { type: 'call', subject: 'Intro', call: { direction: 'outbound', durationSeconds: 420, outcome: 'connected' }, nextStep: { title: 'Send the proposal', type: 'email', dueAt: at(now, 24 * 60) } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.call).toEqual({ direction: 'outbound', durationSeconds: 420, outcome: 'connected' });
    const next = await call<Task>('GET', `/tasks/${res.body.nextStepTaskId}`, { token: rep });
    expect(next.body).toMatchObject({ title: 'Send the proposal', type: 'email', source: 'next-step', customerId, assigneeId: 'rep-1' });
    expect(await events('crm.task.created.v1', tenant)).toEqual([expect.objectContaining({ taskId: res.body.nextStepTaskId, source: 'next-step' })]);
  });

  it('logs a meeting at its start with its attendees; details of another kind, an end before the start or a bad next step are 400s naming the field, writing nothing', async () => {
    const { rep, customerId, now } = await setup();
    const meeting = { startAt: at(now, -90), endAt: at(now, -30), location: 'Their office', attendees: [{ name: 'Grace', email: 'grace@example.com' }, { userId: 'rep-1' }] };
    const logged = await call<{ occurredAt: string; meeting: { attendees: unknown[] } }>('POST', `/customers/${customerId}/activities`, { token: rep, body: { type: 'meeting', meeting } });
    expect(logged.status).toBe(201);
    expect(logged.body.occurredAt).toBe(at(now, -90));
    expect(logged.body.meeting.attendees).toHaveLength(2);

    const bad = async (body: Record<string, unknown>) => {
      const res = await call<Problem>('POST', `/customers/${customerId}/activities`, { token: rep, body });
      return [res.status, (res.body.errors ?? []).map((e) => e.path)];
    };
    expect(await bad({ type: 'note', call: { direction: 'inbound' } })).toEqual([400, ['call']]);
    expect(await bad({ type: 'meeting', meeting: { ...meeting, endAt: at(now, -120) } })).toEqual([400, ['meeting.endAt']]);
    expect(await bad({ type: 'note', nextStep: { title: 'x', type: 'call', dueAt: at(now, 60), remindAt: at(now, -60) } })).toEqual([400, ['nextStep.remindAt']]);
    expect((await call('POST', `/customers/${customerId}/activities`, { token: rep, body: { type: 'note', nextStep: { title: 'x', type: 'call', dueAt: at(now, 60), assigneeId: 'rep-2' } } })).status).toBe(403);
    const timeline = await call<{ items: unknown[] }>('GET', `/customers/${customerId}/activities`, { token: rep });
    expect(timeline.body.items).toHaveLength(1);
    expect((await list(rep, 'when=open')).body.items).toHaveLength(0);
  });
});
