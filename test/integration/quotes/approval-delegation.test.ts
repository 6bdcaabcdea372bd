import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';
import { inviter, pendingInbox } from '../processes-fixtures';

// Delegation while out of office and escalation past a step's time limit (docs/processes.md,
// "Delegation" and "Escalation"), end to end on the local runtime: delegations set through the
// API and read when a step opens; the escalation sweep run by hand after moving the clock.

interface Problem {
  type?: string;
  errors?: { path: string; message: string }[];
}
interface Approval {
  id: string;
  processId: string;
  approverId: string;
  onBehalfOf: string | null;
  status: string;
  step: number;
  dueAt: string | null;
}
interface Process {
  status: string;
  currentStep: number;
  waitingOn: string[];
  history: { type: string; by: string; onBehalfOf?: string; from?: string; to?: string; step?: number }[];
  approvals: Approval[];
}
interface Quote {
  id: string;
  status: string;
  approval: { processId: string | null; status: string } | null;
}

const HOUR = 3_600_000;
const runtimeNow = async () => Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
const advanceClock = async (duration: string) => expect((await call('POST', '/_local/clock', { body: { advance: duration } })).status).toBe(200);

/** An admin, a manager with their own manager (the director), a peer manager and a rep reporting to the manager. */
async function team() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const invite = inviter(admin);
  const directorId = await invite('Dora Director', ['manager']);
  const managerId = await invite('Mia Manager', ['manager'], directorId);
  const deputyId = await invite('Dan Deputy', ['manager']);
  const repId = await invite('Rex Rep', ['rep'], managerId);
  const [director, manager, deputy, rep] = await Promise.all([
    tokenFor(tenant, directorId, ['manager']),
    tokenFor(tenant, managerId, ['manager']),
    tokenFor(tenant, deputyId, ['manager']),
    tokenFor(tenant, repId, ['rep']),
  ]);
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer GmbH', emails: [uniqueEmail('buyer')] } })).body;
  const product = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `SKU-${tenant}`, name: 'Seat licence', prices: { EUR: '100.00' } } })).body;
  return { tenant, admin, director, directorId, manager, managerId, deputy, deputyId, rep, repId, customer, product };
}

/** Drafts a quote with a 25 % discount (above the default policy's 20 %) and submits it; its process id. */
async function submitQuote(t: Awaited<ReturnType<typeof team>>) {
  const validUntil = new Date((await runtimeNow()) + 60 * 24 * HOUR).toISOString().slice(0, 10);
  const quote = await call<Quote>('POST', '/quotes', { token: t.rep, body: { customerId: t.customer.id, currency: 'EUR', validUntil, lines: [{ productId: t.product.id, quantity: 3, discountPercent: '25' }] } });
  expect(quote.status, JSON.stringify(quote.body)).toBe(201);
  const submitted = await call<Quote>('POST', `/quotes/${quote.body.id}/submit`, { token: t.rep });
  expect(submitted.body.status, JSON.stringify(submitted.body)).toBe('pending-approval');
  await settle();
  return { quoteId: quote.body.id, processId: submitted.body.approval!.processId! };
}

const inbox = pendingInbox;

describe('delegation', () => {
  it("is set by the user (or an admin), checked, and hands a step's approval to the delegate, whose decision counts on the approver's behalf", async () => {
    const t = await team();
    const until = new Date((await runtimeNow()) + 48 * HOUR).toISOString();
    const put = (token: string, userId: string, body: unknown) => call<Problem & { delegate: unknown }>('PUT', `/users/${userId}/delegate`, { token, body });
    const pathsOf = (res: { body: Problem }) => res.body.errors?.map((e) => e.path);

    const self = await put(t.manager, t.managerId, { delegateId: t.managerId });
    expect([self.status, pathsOf(self)]).toEqual([400, ['delegateId']]);
    const unknown = await put(t.manager, t.managerId, { delegateId: 'nobody-here' });
    expect([unknown.status, pathsOf(unknown)]).toEqual([400, ['delegateId']]);
    const past = await put(t.manager, t.managerId, { delegateId: t.deputyId, until: new Date((await runtimeNow()) - HOUR).toISOString() });
    expect([past.status, pathsOf(past)]).toEqual([400, ['until']]);
    expect((await put(t.rep, t.managerId, { delegateId: t.repId })).status).toBe(403);

    const set = await put(t.manager, t.managerId, { delegateId: t.deputyId, until });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.delegate).toEqual({ userId: t.deputyId, userName: 'Dan Deputy', until });
    expect((await call<{ delegate: unknown }>('GET', `/users/${t.managerId}`, { token: t.manager })).body.delegate).toMatchObject({ userId: t.deputyId, until });

    const { quoteId, processId } = await submitQuote(t);
    expect(await inbox(t.manager)).toEqual([]);
    const handed = await inbox(t.deputy);
    expect(handed).toEqual([expect.objectContaining({ processId, approverId: t.deputyId, onBehalfOf: t.managerId, status: 'pending' })]);
    // The approver the delegation is for may follow the process.
    expect((await call<Process>('GET', `/processes/${processId}`, { token: t.manager })).body.waitingOn).toEqual([t.deputyId]);

    const approved = await call('POST', `/approvals/${handed[0]!.id}/approve`, { token: t.deputy, body: {} });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await settle();
    expect((await call<Quote>('GET', `/quotes/${quoteId}`, { token: t.rep })).body.status).toBe('approved');
    const process = (await call<Process>('GET', `/processes/${processId}`, { token: t.rep })).body;
    expect(process.history.find((h) => h.type === 'approved')).toMatchObject({ by: t.deputyId, onBehalfOf: t.managerId });

    // An admin ends it for them; the next step is the manager's own again.
    const cleared = await call<{ delegate: unknown }>('DELETE', `/users/${t.managerId}/delegate`, { token: t.admin });
    expect([cleared.status, cleared.body.delegate]).toEqual([200, null]);
    await submitQuote(t);
    expect((await inbox(t.manager)).map((a) => a.onBehalfOf)).toEqual([null]);
  });

  it('is ignored once its end has passed', async () => {
    const t = await team();
    const until = new Date((await runtimeNow()) + HOUR).toISOString();
    expect((await call('PUT', `/users/${t.managerId}/delegate`, { token: t.manager, body: { delegateId: t.deputyId, until } })).status).toBe(200);
    await advanceClock('PT2H');
    const { processId } = await submitQuote(t);
    expect(await inbox(t.deputy)).toEqual([]);
    expect(await inbox(t.manager)).toEqual([expect.objectContaining({ processId, approverId: t.managerId, onBehalfOf: null })]);
  });
});

const sweep = async () => {
  expect((await call('POST', '/_local/schedules/approval-escalations/run')).status).toBe(200);
  await settle();
};

/** The default rule, with a 24-hour limit on its manager step. */
async function limitManagerStep(admin: string) {
  const policy = await call('PUT', '/approval-policies/quote-discount', {
    token: admin,
    body: { rules: [{ name: 'Discount above 20 %', when: { discountAbovePercent: '20' }, steps: [{ name: 'Manager', approvers: [{ manager: true }], mode: 'any', timeLimitHours: 24 }] }] },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
}

async function escalatedEvents(processId: string) {
  await settle();
  const { body } = await call<{ events: { event: { detail: { data: { processId: string; toApproverId: string; via: string } } } }[] }>('GET', '/_local/events?detailType=crm.approval.escalated.v1');
  return body.events.map((r) => r.event.detail.data).filter((d) => d.processId === processId);
}

describe('escalation', () => {
  it("moves a step past its time limit to the approver's manager once, however often the sweep runs; the manager decides and the flow finishes", async () => {
    const t = await team();
    await limitManagerStep(t.admin);
    const { quoteId, processId } = await submitQuote(t);
    const [asked] = await inbox(t.manager);
    expect(Date.parse(asked!.dueAt!) - (await runtimeNow())).toBeGreaterThan(23 * HOUR);

    // Not due yet: nothing moves.
    await sweep();
    expect(await inbox(t.director)).toEqual([]);

    await advanceClock('PT25H');
    await sweep();
    await sweep();
    expect(await inbox(t.manager)).toEqual([]);
    const escalatedTo = await inbox(t.director);
    expect(escalatedTo).toEqual([expect.objectContaining({ id: `${processId}-0-1`, approverId: t.directorId, onBehalfOf: null, status: 'pending', step: 0 })]);
    expect(Date.parse(escalatedTo[0]!.dueAt!) - (await runtimeNow())).toBeGreaterThan(23 * HOUR);
    expect(await escalatedEvents(processId)).toEqual([expect.objectContaining({ toApproverId: t.directorId, via: 'manager' })]);
    // The director is told, once, with the request's summary.
    const directorEmail = (await call<{ email: string }>('GET', `/users/${t.directorId}`, { token: t.admin })).body.email;
    const told = (await call<{ emails: { to: string[]; subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(directorEmail) && m.subject.startsWith('An approval waits on you'));
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toMatch(/Quote Q-\d{4}-\d{4}: 2[\d.]+ EUR, discount up to 25 %/);
    const waiting = (await call<Process>('GET', `/processes/${processId}`, { token: t.director })).body;
    expect(waiting).toMatchObject({ status: 'running', currentStep: 0, waitingOn: [t.directorId] });
    expect(waiting.history.filter((h) => h.type === 'escalated')).toEqual([expect.objectContaining({ by: 'system', step: 0, from: t.managerId, to: t.directorId })]);
    expect(waiting.approvals.find((a) => a.id === asked!.id)).toMatchObject({ status: 'escalated' });

    // The manager's approval is no longer theirs to decide; the director's is.
    const late = await call<Problem>('POST', `/approvals/${asked!.id}/approve`, { token: t.manager, body: {} });
    expect([late.status, late.body.type]).toEqual([409, expect.stringContaining('approval-decided')]);
    expect((await call('POST', `/approvals/${escalatedTo[0]!.id}/approve`, { token: t.director, body: { comment: 'Fine by me' } })).status).toBe(200);
    await settle();
    expect((await call<Quote>('GET', `/quotes/${quoteId}`, { token: t.rep })).body).toMatchObject({ status: 'approved', approval: { processId, status: 'approved' } });
    const ended = (await call<Process>('GET', `/processes/${processId}`, { token: t.rep })).body;
    expect(ended.history.map((h) => h.type)).toEqual(['started', 'step-opened', 'escalated', 'approved', 'finished']);
    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${t.customer.id}/activities`, { token: t.rep });
    expect(timeline.body.items.map((a) => a.subject)).toContain("Approval step 1 escalated to the approver's manager after its time limit");
    // Nothing is due any more.
    await sweep();
    expect(await escalatedEvents(processId)).toHaveLength(1);
  });

  it('raced by a decision, ends with one of the two: the decision or the escalation', async () => {
    const t = await team();
    await limitManagerStep(t.admin);
    const { quoteId, processId } = await submitQuote(t);
    const [asked] = await inbox(t.manager);
    await advanceClock('PT25H');

    const [swept, decided] = await Promise.all([call('POST', '/_local/schedules/approval-escalations/run'), call('POST', `/approvals/${asked!.id}/approve`, { token: t.manager, body: {} })]);
    expect(swept.status).toBe(200);
    await sweep();
    const process = (await call<Process>('GET', `/processes/${processId}`, { token: t.rep })).body;
    const escalations = process.history.filter((h) => h.type === 'escalated');
    if (decided.status === 200) {
      // The decision won: nothing was escalated, and the flow finished.
      expect(escalations).toEqual([]);
      expect(process.status).toBe('approved');
      expect((await call<Quote>('GET', `/quotes/${quoteId}`, { token: t.rep })).body.status).toBe('approved');
      expect(await inbox(t.director)).toEqual([]);
    } else {
      // The sweep won: the decision read again and found the approval gone to the director.
      expect(decided.status).toBe(409);
      expect(escalations).toHaveLength(1);
      expect(process).toMatchObject({ status: 'running', waitingOn: [t.directorId] });
      expect(await inbox(t.director)).toHaveLength(1);
    }
    expect(await escalatedEvents(processId)).toHaveLength(escalations.length);
  });
});
