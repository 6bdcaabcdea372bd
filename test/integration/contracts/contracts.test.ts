import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';
import { inviter, pendingInbox } from '../processes-fixtures';

// Contracts (docs/processes.md, "Contracts"): the `contract` approval policy, the renewal sweep run
// by hand after moving the clock, and the 360 view, through the API of the local runtime.

interface Problem {
  type?: string;
  errors?: { path: string; message: string }[];
}
interface Contract {
  id: string;
  number: string;
  status: string;
  term: string | null;
  version: number;
  value: string;
  quoteId: string | null;
  orderId: string | null;
  categories: string[];
  renewalDueOn: string;
  renewalDueAt: string | null;
  renewalTaskId: string | null;
  approval: { processId: string | null; status: string } | null;
}
interface BusRecord {
  event: { detail: { data: Record<string, unknown> } };
}

const DAY = 86_400_000;
const runtimeNow = async () => Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** An admin, a manager, a rep reporting to the manager, a customer of the rep's and a product. */
async function team() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const invite = inviter(admin);
  const managerId = await invite('Mona Manager', ['manager']);
  const repId = await invite('Ron Rep', ['rep'], managerId);
  const otherRepId = await invite('Oli Other', ['rep'], managerId);
  const rep = await tokenFor(tenant, repId, ['rep']);
  const otherRep = await tokenFor(tenant, otherRepId, ['rep']);
  const manager = await tokenFor(tenant, managerId, ['manager']);
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Signer GmbH', emails: [uniqueEmail('signer')] } })).body;
  const product = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `SUP-${tenant}`, name: 'Support', category: 'services', prices: { EUR: '1000.00' }, taxRatePercent: '19' } })).body;
  return { tenant, admin, rep, repId, otherRep, manager, managerId, customer, product };
}

const contract = (token: string, body: Record<string, unknown>) => call<Contract & Problem>('POST', '/contracts', { token, body });
const base = (customerId: string, extra: Record<string, unknown> = {}) => ({ customerId, value: '12000.00', currency: 'EUR', startsOn: '2027-01-01', endsOn: '2027-12-31', terms: 'Twelve months of support, billed yearly.', ...extra });

/** A `contract` policy: a value of 10,000 EUR or more needs the requester's manager. */
async function bigContractsNeedTheManager(admin: string) {
  const policy = await call('PUT', '/approval-policies/contract', {
    token: admin,
    body: { rules: [{ name: 'Large contracts', when: { totalAtLeast: { currency: 'EUR', amount: '10000' } }, steps: [{ name: 'Manager', approvers: [{ manager: true }] }] }] },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
}

describe('contracts', () => {
  it('with no rule of the contract policy, are active at once; their owner, managers and admins read them', async () => {
    const { rep, otherRep, manager, customer } = await team();
    const created = await contract(rep, base(customer.id, { renewalNoticeDays: 45 }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', approval: { processId: null, status: 'not-required' }, value: '12000.00', renewalDueOn: '2027-11-16', renewalDueAt: null, version: 1 });
    expect(created.body.number).toMatch(/^C-\d{4}-0001$/);
    expect((await call<Contract>('GET', `/contracts/${created.body.id}`, { token: manager })).body.status).toBe('active');
    expect((await call('GET', `/contracts/${created.body.id}`, { token: otherRep })).status).toBe(404);
    const second = await contract(rep, base(customer.id, { value: '10' }));
    expect(second.body.number).toMatch(/^C-\d{4}-0002$/);
  });

  it('goes through the contract policy: the manager approves (active) or rejects (rejected)', async () => {
    const { admin, rep, repId, manager, managerId, customer } = await team();
    await bigContractsNeedTheManager(admin);
    // Below the threshold: no approval.
    expect((await contract(rep, base(customer.id, { value: '9999.99' }))).body.status).toBe('active');

    const first = (await contract(rep, base(customer.id))).body;
    expect(first).toMatchObject({ status: 'pending-approval', approval: { status: 'running' } });
    const processId = first.approval!.processId!;
    const asked = await pendingInbox(manager);
    expect(asked).toEqual([expect.objectContaining({ processId, approverId: managerId })]);
    const process = await call<{ kind: string; requesterId: string; subject: { type: string; id: string; summary: string } }>('GET', `/processes/${processId}`, { token: rep });
    expect(process.body).toMatchObject({ kind: 'contract', requesterId: repId, subject: { type: 'contract', id: first.id, summary: `Contract ${first.number}: 12000.00 EUR, 2027-01-01 to 2027-12-31` } });
    expect((await call('POST', `/approvals/${asked[0]!.id}/approve`, { token: manager, body: { comment: 'Good terms' } })).status).toBe(200);
    await settle();
    expect((await call<Contract>('GET', `/contracts/${first.id}`, { token: rep })).body).toMatchObject({ status: 'active', approval: { processId, status: 'approved' }, version: 2 });
    expect((await call<{ status: string }>('GET', `/processes/${processId}`, { token: rep })).body.status).toBe('approved');

    const second = (await contract(rep, base(customer.id, { value: '50000.00' }))).body;
    const next = (await pendingInbox(manager)).find((a) => a.processId === second.approval!.processId)!;
    expect((await call('POST', `/approvals/${next.id}/reject`, { token: manager, body: { comment: 'Too long a commitment' } })).status).toBe(200);
    await settle();
    expect((await call<Contract>('GET', `/contracts/${second.id}`, { token: rep })).body).toMatchObject({ status: 'rejected', term: null, approval: { status: 'rejected' } });

    // A decided contract cannot be withdrawn; one under approval can, and its approver gets 409.
    expect((await call<Problem>('POST', `/contracts/${second.id}/withdraw`, { token: rep, body: {} })).status).toBe(409);
    const third = (await contract(rep, base(customer.id, { value: '20000.00' }))).body;
    const waiting = (await pendingInbox(manager)).find((a) => a.processId === third.approval!.processId)!;
    const withdrawn = await call<Contract>('POST', `/contracts/${third.id}/withdraw`, { token: rep, body: { reason: 'Customer asked for new terms' } });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', approval: { status: 'recalled' } });
    expect((await call('POST', `/approvals/${waiting.id}/approve`, { token: manager, body: {} })).status).toBe(409);
    await settle();
    expect((await call<{ status: string }>('GET', `/processes/${third.approval!.processId}`, { token: rep })).body.status).toBe('recalled');
    expect((await call<Contract>('GET', `/contracts/${third.id}`, { token: rep })).body.status).toBe('withdrawn');

    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${customer.id}/activities`, { token: rep });
    const subjects = timeline.body.items.filter((a) => a.type === 'process').map((a) => a.subject);
    expect(subjects).toContain(`Contract ${first.number} awaiting approval: 12000.00 EUR, 2027-01-01 to 2027-12-31`);
    expect(subjects).toContain('Approval (contract) approved');
    expect(subjects).toContain('Approval (contract) rejected');
    expect(subjects).toContain(`Contract ${third.number} withdrawn`);
  });

  it('rests on the same customer’s approved quote or an order not cancelled, whose categories the policy reads', async () => {
    const { admin, rep, customer, product } = await team();
    const policy = await call('PUT', '/approval-policies/contract', {
      token: admin,
      body: { rules: [{ name: 'Services', when: { categories: ['services'] }, steps: [{ name: 'Manager', approvers: [{ manager: true }] }] }] },
    });
    expect(policy.status).toBe(200);
    const quote = (await call<{ id: string }>('POST', '/quotes', { token: rep, body: { customerId: customer.id, currency: 'EUR', validUntil: '2099-01-31', lines: [{ productId: product.id, quantity: 12 }] } })).body;
    // A draft quote is no basis for a contract.
    const draft = await contract(rep, base(customer.id, { quoteId: quote.id }));
    expect(draft.status).toBe(400);
    expect(draft.body.errors!.map((e) => e.path)).toEqual(['quoteId']);
    expect((await call('POST', `/quotes/${quote.id}/submit`, { token: rep })).status).toBe(200);
    const onQuote = await contract(rep, base(customer.id, { quoteId: quote.id }));
    expect(onQuote.status, JSON.stringify(onQuote.body)).toBe(201);
    expect(onQuote.body).toMatchObject({ quoteId: quote.id, categories: ['services'], status: 'pending-approval' });

    const order = (await call<{ id: string }>('POST', '/orders', { token: rep, body: { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] } })).body;
    const onOrder = await contract(rep, base(customer.id, { orderId: order.id, value: '100.00' }));
    expect(onOrder.body).toMatchObject({ orderId: order.id, categories: ['services'], status: 'pending-approval' });
    expect((await call('POST', `/orders/${order.id}/cancel`, { token: rep, body: {} })).status).toBe(200);
    const cancelled = await contract(rep, base(customer.id, { orderId: order.id }));
    expect(cancelled.status).toBe(400);
    expect(cancelled.body.errors!.map((e) => e.path)).toEqual(['orderId']);

    const elsewhere = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Other AG', emails: [uniqueEmail('other')] } })).body;
    const foreign = await contract(rep, base(elsewhere.id, { quoteId: quote.id }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors!.map((e) => e.path)).toEqual(['quoteId']);
    const otherCurrency = await contract(rep, base(customer.id, { quoteId: quote.id, currency: 'USD' }));
    expect(otherCurrency.body.errors!.map((e) => e.path)).toEqual(['currency']);

    // An approved quote whose validity ended reads as expired: no basis either.
    const lapsed = (await call<{ id: string }>('POST', '/quotes', { token: rep, body: { customerId: customer.id, currency: 'EUR', validUntil: '2020-01-31', lines: [{ productId: product.id, quantity: 1 }] } })).body;
    expect((await call<{ status: string }>('POST', `/quotes/${lapsed.id}/submit`, { token: rep })).body.status).toBe('expired');
    const onLapsed = await contract(rep, base(customer.id, { quoteId: lapsed.id }));
    expect(onLapsed.status).toBe(400);
    expect(onLapsed.body.errors!.map((e) => e.path)).toEqual(['quoteId']);
  });

  it('refuses bad contracts, naming the field', async () => {
    const { rep, customer } = await team();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ value: '12000.001' }, ['value']],
      [{ currency: 'JPY', value: '1.5' }, ['value']],
      [{ endsOn: '2026-06-30' }, ['endsOn']],
      [{ endsOn: '2027-01-01' }, ['endsOn']],
      [{ startsOn: 'soon' }, ['startsOn']],
      [{ quoteId: '01JD0000000000000000000000', orderId: '01JD0000000000000000000001' }, ['orderId']],
      [{ quoteId: '01JD0000000000000000000000' }, ['quoteId']],
      [{ orderId: '01JD0000000000000000000000' }, ['orderId']],
      [{ terms: 'x'.repeat(5001) }, ['terms']],
      [{ renewalNoticeDays: 0 }, ['renewalNoticeDays']],
      [{ renewalNoticeDays: 366 }, ['renewalNoticeDays']],
      [{ customerId: '01JD0000000000000000000000' }, ['customerId']],
    ];
    for (const [extra, paths] of cases) {
      const res = await contract(rep, base(customer.id, extra));
      expect(res.status, JSON.stringify(extra)).toBe(400);
      expect(res.body.errors!.map((e) => e.path), JSON.stringify(extra)).toEqual(paths);
    }
  });

  it('opens one renewal task, raises one event and sends one mail, however often the sweep runs; only active contracts, approved ones too', async () => {
    const { admin, rep, repId, manager, customer } = await team();
    await bigContractsNeedTheManager(admin);
    const now = await runtimeNow();
    // The notice is due tomorrow: 31 days before the end, 30 days' notice.
    const endsOn = day(now + 31 * DAY);
    const dueSoon = (extra: Record<string, unknown>) => contract(rep, base(customer.id, { startsOn: day(now - 300 * DAY), endsOn, renewalNoticeDays: 30, ...extra }));
    const renewed = (await dueSoon({ value: '9000.00' })).body;
    expect(renewed).toMatchObject({ status: 'active', term: 'current' });
    const terminated = (await dueSoon({ value: '9000.00' })).body;
    const ended = await call<Contract>('POST', `/contracts/${terminated.id}/terminate`, { token: rep, body: { reason: 'Customer closed the site' } });
    expect(ended.body).toMatchObject({ status: 'terminated', term: null });
    // Above the policy's threshold: the renewal index takes them only once approved.
    const approved = (await dueSoon({ value: '12000.00' })).body;
    const rejected = (await dueSoon({ value: '15000.00' })).body;
    const pending = (await dueSoon({ value: '18000.00' })).body;
    const decide = async (c: Contract, decision: 'approve' | 'reject') => {
      const approval = (await pendingInbox(manager)).find((a) => a.processId === c.approval!.processId)!;
      expect((await call('POST', `/approvals/${approval.id}/${decision}`, { token: manager, body: {} })).status).toBe(200);
    };
    await decide(approved, 'approve');
    await decide(rejected, 'reject');
    await settle();
    expect((await call<Contract>('GET', `/contracts/${approved.id}`, { token: rep })).body.status).toBe('active');

    const sweep = async () => {
      expect((await call('POST', '/_local/schedules/contract-renewals/run')).status).toBe(200);
      await settle();
    };
    const raisedFor = async (id: string) =>
      (await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.contract.renewal-due.v1')).body.events.map((e) => e.event.detail.data).filter((d) => d.contractId === id);

    await sweep();
    expect(await raisedFor(renewed.id)).toEqual([]);
    expect((await call('POST', '/_local/clock', { body: { advance: 'P2D' } })).status).toBe(200);
    await sweep();
    await sweep();

    const raised = await raisedFor(renewed.id);
    expect(raised).toEqual([expect.objectContaining({ number: renewed.number, endsOn, ownerId: repId, renewalNoticeDays: 30, value: '9000.00' })]);
    expect(await raisedFor(approved.id)).toEqual([expect.objectContaining({ number: approved.number, value: '12000.00' })]);
    for (const never of [terminated, rejected, pending]) expect(await raisedFor(never.id), never.number).toEqual([]);
    const after = (await call<Contract>('GET', `/contracts/${renewed.id}`, { token: rep })).body;
    expect(after).toMatchObject({ renewalTaskId: raised[0]!.taskId, version: 2 });
    expect(after.renewalDueAt).not.toBeNull();

    const tasks = (await call<{ items: { id: string; title: string; source: string; customerId: string; dueAt: string }[] }>('GET', '/tasks?assignee=me', { token: rep })).body.items.filter((t) => t.source === 'contract-renewal');
    expect(tasks.map((t) => t.title).sort()).toEqual([`Renew contract ${renewed.number} (ends ${endsOn})`, `Renew contract ${approved.number} (ends ${endsOn})`].sort());
    expect(tasks.find((t) => t.id === raised[0]!.taskId)).toMatchObject({ customerId: customer.id, dueAt: `${endsOn}T00:00:00.000Z` });

    const ownerEmail = (await call<{ email: string }>('GET', `/users/${repId}`, { token: admin })).body.email;
    const mails = (await call<{ emails: { to: string[]; subject: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(ownerEmail) && m.subject.startsWith('Contract '));
    expect(mails.map((m) => m.subject).sort()).toEqual([`Contract ${renewed.number} ends on ${endsOn}: time to renew`, `Contract ${approved.number} ends on ${endsOn}: time to renew`].sort());

    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${customer.id}/activities`, { token: rep });
    expect(timeline.body.items.map((a) => a.subject)).toEqual(expect.arrayContaining([`Contract ${renewed.number} due for renewal: ends ${endsOn}`, `Contract ${terminated.number} terminated`]));
  });

  it('shows in the 360 view: active and pending first, soonest ending on top, in the same Query', async () => {
    const { admin, rep, customer } = await team();
    await bigContractsNeedTheManager(admin);
    const later = (await contract(rep, base(customer.id, { value: '100.00', endsOn: '2028-12-31' }))).body;
    const sooner = (await contract(rep, base(customer.id, { value: '100.00', endsOn: '2027-06-30' }))).body;
    const pending = (await contract(rep, base(customer.id, { endsOn: '2027-09-30' }))).body;
    const gone = (await contract(rep, base(customer.id, { value: '100.00' }))).body;
    expect((await call('POST', `/contracts/${gone.id}/terminate`, { token: rep, body: {} })).status).toBe(200);
    await settle();
    const view = await call<{ contracts: Contract[]; processes: { id: string }[] }>('GET', `/customers/${customer.id}/360`, { token: rep });
    expect(view.status).toBe(200);
    expect(view.body.contracts.map((c) => [c.id, c.status])).toEqual([
      [sooner.id, 'active'],
      [pending.id, 'pending-approval'],
      [later.id, 'active'],
      [gone.id, 'terminated'],
    ]);
    expect(view.body.processes.map((p) => p.id)).toEqual([pending.approval!.processId]);
  });
});
