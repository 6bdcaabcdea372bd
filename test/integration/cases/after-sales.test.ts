import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

// After-sales consultation (docs/processes.md, "After-sales"): questions, complaints and returns
// about an order, opened as service cases linked to it and worked like any case (routing by
// category, replies, resolution), listed per order, in the 360 view and on the timeline.

interface OrderLine {
  index: number;
  sku: string;
  quantity: number;
}
interface Case {
  id: string;
  customerId: string;
  category: string;
  status: string;
  assigneeId: string | null;
  orderId: string | null;
  orderLines: OrderLine[];
  sla: { policyId: string } | null;
  version: number;
  type?: string;
  currentStatus?: string;
  errors?: { path: string }[];
}
interface BusRecord {
  event: { detail: { data: Record<string, unknown> } };
}

/** A shop: an admin, the rep who sells, another rep, two agents in the directory, a customer and an order of two lines. */
async function shop() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const otherRep = await tokenFor(tenant, 'rep-2', ['rep']);
  const agents: Record<string, string> = {};
  for (const id of ['agent-1', 'agent-2']) {
    agents[id] = await tokenFor(tenant, id, ['agent']);
    // Routing gives cases only to active users of the directory.
    expect((await call('PUT', `/users/${id}`, { token: admin, body: { email: `${id}@example.com`, name: `Agent ${id}` } })).status).toBe(201);
  }
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer AG', emails: [uniqueEmail('buyer')] } })).body;
  const other = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Someone Else', emails: [uniqueEmail('else')] } })).body;
  const seat = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `SEAT-${tenant}`, name: 'Seat', prices: { EUR: '100.00' } } })).body;
  const desk = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `DESK-${tenant}`, name: 'Desk', prices: { EUR: '400.00' } } })).body;
  const placed = await call<{ id: string }>('POST', '/orders', { token: rep, body: { customerId: customer.id, currency: 'EUR', lines: [{ productId: seat.id, quantity: 4 }, { productId: desk.id, quantity: 2 }] } });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return { tenant, admin, rep, otherRep, agents, customer, other, order: placed.body, desk };
}

const openForOrder = (token: string, orderId: string, body: Record<string, unknown>) => call<Case>('POST', `/orders/${orderId}/cases`, { token, body });
const orderCases = (token: string, orderId: string) => call<{ items: Case[] }>('GET', `/orders/${orderId}/cases`, { token });
const paths = (res: { body: { errors?: { path: string }[] } }) => res.body.errors?.map((e) => e.path);
const UNKNOWN = '01JD5X8Q2V3M4N5P6R7S8T9VWX';

describe('after-sales cases', () => {
  it('a return opened on the order is routed by its category to the agent who serves returns, answered, resolved, and shown with its order', async () => {
    const { rep, agents, admin, customer, order, desk } = await shop();
    const profile = (id: string, categories: string[]) => call('PUT', `/agents/${id}`, { token: agents[id]!, body: { presence: 'available', skills: { categories, languages: [] }, capacity: 5 } });
    expect((await profile('agent-1', ['billing'])).status).toBe(201);
    expect((await profile('agent-2', ['after-sales-return', 'after-sales-complaint'])).status).toBe(201);
    expect((await call('POST', `/orders/${order.id}/dispatch`, { token: rep, body: {} })).status).toBe(200);

    const opened = await openForOrder(rep, order.id, { kind: 'return', subject: 'One desk arrived scratched', description: 'We send one desk back.', lines: [{ index: 1, quantity: 1 }] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ customerId: customer.id, category: 'after-sales-return', orderId: order.id, status: 'new', orderLines: [{ index: 1, productId: desk.id, quantity: 1 }] });
    await settle();

    // Routing: only agent-2 serves the category.
    const routed = (await call<Case>('GET', `/cases/${opened.body.id}`, { token: agents['agent-2']! })).body;
    expect(routed).toMatchObject({ status: 'open', assigneeId: 'agent-2', orderId: order.id });
    const reply = await call<{ case: Case }>('POST', `/cases/${opened.body.id}/messages`, { token: agents['agent-2']!, body: { text: 'A courier collects it on Monday.' } });
    expect(reply.body.case.status).toBe('pending-customer');
    const resolved = await call<Case>('POST', `/cases/${opened.body.id}/resolve`, { token: agents['agent-2']! });
    expect(resolved.body).toMatchObject({ status: 'resolved', orderId: order.id });

    const listed = await orderCases(rep, order.id);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c) => [c.id, c.status])).toEqual([[opened.body.id, 'resolved']]);

    await settle();
    const opening = (await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.case.opened.v1')).body.events.map((r) => r.event.detail.data).find((d) => d.caseId === opened.body.id);
    expect(opening).toMatchObject({ orderId: order.id, category: 'after-sales-return' });
    const view = await call<{ cases: Case[]; latestActivities: { type: string; subject: string; payload?: Record<string, unknown> }[] }>('GET', `/customers/${customer.id}/360`, { token: admin });
    expect(view.body.cases.map((c) => [c.id, c.orderId])).toEqual([[opened.body.id, order.id]]);
    expect(view.body.latestActivities.map((a) => a.subject)).toContain('Case opened (normal, after-sales-return, by api) about an order');
  });

  it('POST /cases with an orderId takes the order\'s customer; another customer\'s or an unknown order is a 400 naming orderId; the order lists its cases newest first', async () => {
    const { rep, agents, admin, customer, other, order } = await shop();
    const agent = agents['agent-1']!;
    // SLA policies name after-sales categories like any other.
    const weekdays = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
    const targets = { firstResponseMinutes: 60, nextResponseMinutes: 60, resolutionMinutes: 480 };
    const policy = await call('PUT', '/sla-policies/after-sales', {
      token: admin,
      body: { name: 'Complaints about orders', calendar: { timeZone: 'Europe/Berlin', weeklyHours: weekdays, holidays: [] }, targets: { low: targets, normal: targets, high: targets, urgent: targets }, categories: ['after-sales-complaint'] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const viaCases = await call<Case>('POST', '/cases', { token: agent, body: { orderId: order.id, subject: 'Invoice address', description: 'Please put our PO number on it.', category: 'billing' } });
    expect(viaCases.status, JSON.stringify(viaCases.body)).toBe(201);
    expect(viaCases.body).toMatchObject({ customerId: customer.id, orderId: order.id, category: 'billing', orderLines: [] });
    const named = await call<Case>('POST', '/cases', { token: agent, body: { customerId: customer.id, orderId: order.id, subject: 'Delivery date', description: 'When?' } });
    expect(named.body.orderId).toBe(order.id);

    const mismatched = await call<Case>('POST', '/cases', { token: agent, body: { customerId: other.id, orderId: order.id, subject: 'Wrong', description: 'Not theirs.' } });
    expect(mismatched.status).toBe(400);
    expect(paths(mismatched)).toEqual(['orderId']);
    const unknown = await call<Case>('POST', '/cases', { token: agent, body: { customerId: customer.id, orderId: UNKNOWN, subject: 'Wrong', description: 'No order.' } });
    expect(paths(unknown)).toEqual(['orderId']);
    expect(paths(await call<Case>('POST', '/cases', { token: agent, body: { customerId: customer.id, orderId: 'O-2026-0001', subject: 'x', description: 'y' } }))).toEqual(['orderId']);

    // A case of the same customer about nothing in particular is not the order's.
    const unrelated = await call<Case>('POST', '/cases', { token: agent, body: { customerId: customer.id, subject: 'Password', description: 'Reset please.' } });
    expect(unrelated.body.orderId).toBeNull();
    const complaint = await openForOrder(rep, order.id, { kind: 'complaint', subject: 'Late', description: 'Two weeks late.', priority: 'high' });
    expect(complaint.body).toMatchObject({ category: 'after-sales-complaint', orderId: order.id, customerId: customer.id, sla: { policyId: 'after-sales' } });
    expect(viaCases.body.sla).toBeNull();

    const listed = (await orderCases(agent, order.id)).body.items;
    expect(listed.map((c) => c.id)).toEqual([complaint.body.id, named.body.id, viaCases.body.id]);
  });

  it('is for whoever works on the order and for agents; the rest, and unknown orders, get 404', async () => {
    const { tenant, otherRep, agents, order } = await shop();
    const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
    const question = { kind: 'question', subject: 'Assembly', description: 'Is assembly included?' };
    expect((await openForOrder(agents['agent-2']!, order.id, question)).status).toBe(201);
    for (const token of [otherRep, marketer]) {
      expect((await openForOrder(token, order.id, question)).status).toBe(404);
      expect((await orderCases(token, order.id)).status).toBe(404);
    }
    expect((await openForOrder(agents['agent-1']!, UNKNOWN, question)).status).toBe(404);
    expect((await orderCases(agents['agent-1']!, UNKNOWN)).status).toBe(404);
  });

  it('names every bad field, and refuses a return of goods that never went out', async () => {
    const { rep, order } = await shop();
    const base = { subject: 'Return', description: 'Sending back.' };
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'refund' }))).toEqual(['kind']);
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'question', subject: '' }))).toEqual(['subject']);
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'question', contactId: UNKNOWN }))).toEqual(['contactId']);

    const notYet = await openForOrder(rep, order.id, { ...base, kind: 'return', lines: [{ index: 0 }] });
    expect(notYet.status).toBe(409);
    expect(notYet.body).toMatchObject({ currentStatus: 'confirmed' });
    expect(notYet.body.type).toContain('order-not-dispatched');

    expect((await call('POST', `/orders/${order.id}/dispatch`, { token: rep, body: {} })).status).toBe(200);
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'return' }))).toEqual(['lines']);
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'return', lines: [{ index: -1 }] }))).toEqual(['lines.0.index']);
    expect(paths(await openForOrder(rep, order.id, { ...base, kind: 'return', lines: [{ index: 2 }, { index: 0, quantity: 5 }] }))).toEqual(['lines.0.index', 'lines.1.quantity']);
    expect((await orderCases(rep, order.id)).body.items).toEqual([]);
  });

  it('a cancelled order still takes complaints', async () => {
    const { rep, order } = await shop();
    expect((await call('POST', `/orders/${order.id}/cancel`, { token: rep, body: { reason: 'Too slow' } })).status).toBe(200);
    const complaint = await openForOrder(rep, order.id, { kind: 'complaint', subject: 'Cancelled twice', description: 'You cancelled without asking.' });
    expect(complaint.status, JSON.stringify(complaint.body)).toBe(201);
    expect(complaint.body).toMatchObject({ category: 'after-sales-complaint', orderId: order.id });
    // Never dispatched: nothing to return.
    expect((await openForOrder(rep, order.id, { kind: 'return', subject: 'Back', description: 'Back.', lines: [{ index: 0 }] })).status).toBe(409);
  });

  it("follow the order through a merge of its customer: the order still lists its case, both in the survivor's partition", async () => {
    const { rep, admin, customer, other, order } = await shop();
    const complaint = (await openForOrder(rep, order.id, { kind: 'complaint', subject: 'Wrong colour', description: 'Ordered grey, got blue.' })).body;
    const merged = await call('POST', `/customers/${other.id}/merge`, { token: admin, body: { sourceId: customer.id }, headers: { 'if-match': '"1"' } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    await settle();

    const listed = (await orderCases(admin, order.id)).body.items;
    expect(listed.map((c) => [c.id, c.customerId, c.orderId])).toEqual([[complaint.id, other.id, order.id]]);
    // A case linked to the moved order now belongs with the survivor.
    expect((await call<Case>('POST', '/cases', { token: admin, body: { customerId: other.id, orderId: order.id, subject: 'After', description: 'the merge' } })).status).toBe(201);
  });
});
