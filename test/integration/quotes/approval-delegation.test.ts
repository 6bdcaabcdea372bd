import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

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
  const invite = async (name: string, groups: string[], managerId?: string) => {
    const res = await call<{ userId: string }>('POST', '/users', { token: admin, body: { email: uniqueEmail(name.split(' ')[0]!.toLowerCase()), name, groups, ...(managerId ? { managerId } : {}) } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.userId;
  };
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

async function inbox(token: string) {
  await settle();
  return (await call<{ items: Approval[] }>('GET', '/approvals?assignee=me&status=pending', { token })).body.items;
}

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
