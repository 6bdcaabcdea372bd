import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Case {
  id: string;
  customerId: string;
  email: string | null;
  status: string;
  assigneeId: string | null;
  assigneeName?: string | null;
  messageCount: number;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  version: number;
  subject?: string;
  messages?: { id: string; kind: string; text: string; authorId: string | null }[];
  errors?: { path: string }[];
  type?: string;
}

async function staff() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const agent = await tokenFor(tenant, 'agent-1', ['agent']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  expect((await call('PUT', '/users/agent-1', { token: admin, body: { email: 'agent-1@example.com', name: 'Ada Agent' } })).status).toBe(201);
  return { tenant, admin, agent, rep };
}

const open = (token: string, body: Record<string, unknown>) => call<Case>('POST', '/cases', { token, body });

async function mailsTo(address: string) {
  const { body } = await call<{ emails: { to: string[]; subject: string; text?: string; headers: { name: string; value: string }[] }[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(address));
}

describe('cases', () => {
  it('opens a case for the customer holding the address, or for a new person when nobody does; lists it in the queue', async () => {
    const { agent, rep } = await staff();
    const known = uniqueEmail('known');
    const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Known Co', emails: [known] } })).body;

    const first = await open(agent, { email: known, subject: 'Invoice wrong', description: 'The March invoice lists 12 seats; we have 10.', priority: 'high', category: 'billing', channel: 'email' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ customerId: customer.id, email: known, status: 'new', assigneeId: null, version: 1 });

    const stranger = uniqueEmail('stranger');
    const second = await open(agent, { email: stranger, subject: 'Cannot log in', description: 'Password reset never arrives.' });
    expect(second.status).toBe(201);
    expect(second.body.customerId).not.toBe(customer.id);
    const created = await call<{ name: string; emails: string[]; ownerId: string | null }>('GET', `/customers/${second.body.customerId}`, { token: agent });
    expect(created.body).toMatchObject({ name: stranger, emails: [stranger], ownerId: null });

    const queue = await call<{ items: Case[] }>('GET', '/cases?assignee=queue', { token: agent });
    expect(queue.body.items.map((c) => c.id).sort()).toEqual([first.body.id, second.body.id].sort());
    expect((await call<{ items: Case[] }>('GET', '/cases?assignee=queue&status=open', { token: agent })).body.items).toEqual([]);

    // The rep who owns the customer reads its case; nobody else outside service does.
    expect((await call('GET', `/cases/${first.body.id}`, { token: rep })).status).toBe(200);
    expect((await call('GET', `/cases/${second.body.id}`, { token: rep })).status).toBe(404);
    expect((await open(rep, { email: known, subject: 'x', description: 'y' })).status).toBe(403);
  });

  it('refuses a case for nobody, an unknown customer or an inactive assignee, naming the field', async () => {
    const { agent } = await staff();
    expect((await open(agent, { subject: 'x', description: 'y' })).body.errors?.map((e) => e.path)).toEqual(['customerId']);
    expect((await open(agent, { customerId: '01JD5X8Q2V3M4N5P6R7S8T9VWX', subject: 'x', description: 'y' })).body.errors?.map((e) => e.path)).toEqual(['customerId']);
    expect((await open(agent, { email: uniqueEmail(), subject: 'x', description: 'y', assigneeId: 'nobody' })).body.errors?.map((e) => e.path)).toEqual(['assigneeId']);
    expect((await open(agent, { email: 'not-an-address', subject: 'x', description: 'y' })).body.errors?.map((e) => e.path)).toEqual(['email']);
  });

  it('takes a case, replies by mail once, keeps notes internal, and resolves it; every step on the timeline and in the 360 view', async () => {
    const { agent, admin } = await staff();
    const requester = uniqueEmail('req');
    const opened = (await open(agent, { email: requester, subject: 'Export fails', description: 'CSV export stops at 1,000 rows.', category: 'technical' })).body;

    const taken = await call<Case>('PATCH', `/cases/${opened.id}`, { token: agent, body: { assigneeId: 'agent-1', priority: 'urgent' }, headers: { 'if-match': '"1"' } });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({ status: 'open', assigneeId: 'agent-1', assigneeName: 'Ada Agent', version: 2 });
    expect((await call('PATCH', `/cases/${opened.id}`, { token: agent, body: { priority: 'low' }, headers: { 'if-match': '"1"' } })).status).toBe(412);

    const note = await call<{ kind: string; case: Case }>('POST', `/cases/${opened.id}/messages`, { token: agent, body: { text: 'Reproduced on staging.', internal: true } });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', case: { status: 'open', messageCount: 1, firstResponseAt: null } });
    const reply = await call<{ id: string; kind: string; case: Case }>('POST', `/cases/${opened.id}/messages`, { token: agent, body: { text: 'Fixed: please try again.\nThanks for waiting.' } });
    expect(reply.body).toMatchObject({ kind: 'outbound', case: { status: 'pending-customer', messageCount: 2 } });
    expect(reply.body.case.firstResponseAt).not.toBeNull();
    await settle();

    const mails = await mailsTo(requester);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Re: Export fails [case ${opened.id}]`);
    expect(mails[0]!.text).toContain('Fixed: please try again.');
    // The case's own message id travels in References, so the customer's answer threads back.
    expect(mails[0]!.headers).toEqual(expect.arrayContaining([{ name: 'References', value: `<case.${opened.id}.${reply.body.id}@example.com>` }]));

    const resolved = await call<Case>('POST', `/cases/${opened.id}/resolve`, { token: agent });
    expect(resolved.body).toMatchObject({ status: 'resolved' });
    expect(resolved.body.resolvedAt).not.toBeNull();
    expect((await call<Case>('POST', `/cases/${opened.id}/resolve`, { token: agent })).body.version).toBe(resolved.body.version);
    expect((await call<{ items: Case[] }>('GET', '/cases?assignee=me&status=done', { token: agent })).body.items.map((c) => c.id)).toEqual([opened.id]);

    const thread = await call<Case>('GET', `/cases/${opened.id}`, { token: agent });
    expect(thread.body.messages?.map((m) => [m.kind, m.authorId])).toEqual([['note', 'agent-1'], ['outbound', 'agent-1']]);

    await settle();
    const view = await call<{ cases: Case[]; latestActivities: { type: string; subject: string }[] }>('GET', `/customers/${opened.customerId}/360`, { token: admin });
    expect(view.body.cases.map((c) => [c.id, c.status])).toEqual([[opened.id, 'resolved']]);
    expect(view.body.latestActivities.filter((a) => a.type === 'case').map((a) => a.subject)).toEqual(
      expect.arrayContaining(['Case opened (normal, technical, by api)', 'Internal note on a case', 'Replied on a case', 'Case resolved (was pending-customer)']),
    );
  });

  it("erasing the customer closes the case, keeps its anonymous figures and removes the thread and the requester's words", async () => {
    const { agent, admin } = await staff();
    const requester = uniqueEmail('erase');
    const opened = (await open(agent, { email: requester, subject: 'My address is 5 Elm St', description: 'Please update it.' })).body;
    await call('POST', `/cases/${opened.id}/messages`, { token: agent, body: { text: 'Noted, Mrs Smith.', internal: true } });
    expect((await call('DELETE', `/customers/${opened.customerId}`, { token: admin })).status).toBe(204);
    await settle();

    const after = await call<Case>('GET', `/cases/${opened.id}`, { token: agent });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ id: opened.id, status: 'closed', messageCount: 1, messages: [] });
    expect(after.body.subject).toBeUndefined();
    expect(JSON.stringify(after.body)).not.toContain('Elm');
    expect((await call<{ items: Case[] }>('GET', '/cases?assignee=queue', { token: agent })).body.items).toEqual([]);
    expect((await call('POST', `/cases/${opened.id}/messages`, { token: agent, body: { text: 'again', internal: true } })).status).toBe(409);
  });
});

describe("the customer's service in figures", () => {
  it('counts active cases and complaints in the 360 view, from the cases it reads anyway', async () => {
    const { agent, admin } = await staff();
    const requester = uniqueEmail('unhappy');
    const complaint = (await open(agent, { email: requester, subject: 'Rude driver', description: 'The delivery driver shouted at me.', category: 'complaint-delivery' })).body;
    await open(agent, { customerId: complaint.customerId, subject: 'Invoice copy', description: 'Please send March again.' });
    await call('POST', `/cases/${complaint.id}/resolve`, { token: agent });
    const view = await call<{ service: Record<string, unknown> }>('GET', `/customers/${complaint.customerId}/360`, { token: admin });
    expect(view.body.service).toMatchObject({ activeCases: 1, complaints: 1, recentComplaints: 1, slaBreachedCases: 0 });
    expect(view.body.service.lastCaseAt).toEqual(expect.any(String));
  });
});

describe('cases across a merge', () => {
  it("follow the surviving customer with their thread, and take replies there", async () => {
    const { agent, admin } = await staff();
    const [a, b] = [uniqueEmail('a'), uniqueEmail('b')];
    const first = (await open(agent, { email: a, subject: 'First', description: 'one' })).body;
    const second = (await open(agent, { email: b, subject: 'Second', description: 'two' })).body;
    await call('POST', `/cases/${first.id}/messages`, { token: agent, body: { text: 'Before the merge.', internal: true } });
    const merged = await call('POST', `/customers/${second.customerId}/merge`, { token: admin, body: { sourceId: first.customerId }, headers: { 'if-match': '"1"' } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    await settle();

    const moved = await call<Case>('GET', `/cases/${first.id}`, { token: agent });
    expect(moved.body).toMatchObject({ customerId: second.customerId });
    expect(moved.body.messages?.map((m) => m.text)).toEqual(['Before the merge.']);
    expect((await call('POST', `/cases/${first.id}/messages`, { token: agent, body: { text: 'After the merge.', internal: true } })).status).toBe(201);
    expect((await call<Case>('GET', `/cases/${first.id}`, { token: agent })).body.messages?.map((m) => m.text)).toEqual(['Before the merge.', 'After the merge.']);
    const view = await call<{ cases: Case[] }>('GET', `/customers/${second.customerId}/360`, { token: admin });
    expect(view.body.cases.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
  });
});

describe('two agents taking one queued case', () => {
  it('end with one owner: the other is told the case changed', async () => {
    const { tenant, agent, admin } = await staff();
    expect((await call('PUT', '/users/agent-2', { token: admin, body: { email: 'agent-2@example.com', name: 'Bo Agent' } })).status).toBe(201);
    const other = await tokenFor(tenant, 'agent-2', ['agent']);
    const queued = (await open(agent, { email: uniqueEmail('race'), subject: 'Race', description: 'who takes it' })).body;
    const take = (token: string, id: string) => call<Case>('PATCH', `/cases/${queued.id}`, { token, body: { assigneeId: id }, headers: { 'if-match': '"1"' } });
    const results = await Promise.all([take(agent, 'agent-1'), take(other, 'agent-2'), take(agent, 'agent-1'), take(other, 'agent-2')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!.body.assigneeId;
    expect((await call<Case>('GET', `/cases/${queued.id}`, { token: admin })).body).toMatchObject({ assigneeId: winner, version: 2 });
  });
});
