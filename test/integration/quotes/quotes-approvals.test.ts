import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';
import { inviter, pendingInbox } from '../processes-fixtures';

interface Problem {
  type?: string;
  errors?: { path: string; message: string }[];
}
interface Product {
  id: string;
  sku: string;
  version: number;
}
interface Quote {
  id: string;
  number: string;
  status: string;
  version: number;
  approval: { processId: string | null; status: string } | null;
  totals: { subtotal: string; discountTotal: string; netTotal: string; taxTotal: string; grandTotal: string };
  lines: { total: string; unitPrice: string }[];
}
interface Approval {
  id: string;
  processId: string;
  approverId: string;
  status: string;
  step: number;
}
interface Process {
  status: string;
  currentStep: number;
  waitingOn: string[];
  history: { type: string; by: string; comment?: string }[];
  approvals: Approval[];
}

/** An admin, a manager and two reps reporting to the manager, in the directory with their groups. */
async function team() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const invite = inviter(admin);
  const approvingAdminId = await invite('Ada Admin', ['admin']);
  const approvingAdmin = await tokenFor(tenant, approvingAdminId, ['admin']);
  const managerId = await invite('Mia Manager', ['manager']);
  const secondManagerId = await invite('Max Manager', ['manager']);
  const repId = await invite('Rex Rep', ['rep'], managerId);
  const rep = await tokenFor(tenant, repId, ['rep']);
  const manager = await tokenFor(tenant, managerId, ['manager']);
  const secondManager = await tokenFor(tenant, secondManagerId, ['manager']);
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer GmbH', emails: [uniqueEmail('buyer')] } })).body;
  const product = (
    await call<Product>('POST', '/products', { token: admin, body: { sku: `SKU-${tenant}`, name: 'Seat licence', category: 'software', prices: { EUR: '100.00', JPY: '15000' }, taxRatePercent: '19' } })
  ).body;
  return { tenant, admin, approvingAdmin, approvingAdminId, rep, repId, manager, managerId, secondManager, secondManagerId, customer, product };
}

const draft = (token: string, customerId: string, productId: string, discountPercent: string) =>
  call<Quote>('POST', '/quotes', { token, body: { customerId, currency: 'EUR', validUntil: '2027-01-31', lines: [{ productId, quantity: 3, discountPercent }] } });

const inbox = pendingInbox;

describe('products', () => {
  it('are kept by admins with exact prices per currency; a SKU names one product', async () => {
    const { tenant, admin, rep, product } = await team();
    expect((await call('POST', '/products', { token: rep, body: { sku: 'X', name: 'X', prices: { EUR: '1.00' } } })).status).toBe(403);
    const duplicate = await call<Problem>('POST', '/products', { token: admin, body: { sku: `sku-${tenant}`.toLowerCase(), name: 'Copy', prices: { EUR: '1.00' } } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.type).toContain('duplicate-sku');
    const bad = await call<Problem>('POST', '/products', { token: admin, body: { sku: 'B-1', name: 'Bad', prices: { EUR: '1.005', JPY: '1.5' }, taxRatePercent: '120' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors!.map((e) => e.path).sort()).toEqual(['prices.EUR', 'prices.JPY', 'taxRatePercent']);

    const changed = await call<Product & { prices: Record<string, string>; active: boolean }>('PATCH', `/products/${product.id}`, { token: admin, body: { prices: { JPY: null, USD: '110.50' } }, headers: { 'if-match': '"1"' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.prices).toEqual({ EUR: '100.00', USD: '110.50' });
    expect((await call('PATCH', `/products/${product.id}`, { token: admin, body: { name: 'Stale' }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    const listed = await call<{ items: Product[] }>('GET', '/products', { token: rep });
    expect(listed.body.items.map((p) => p.id)).toEqual([product.id]);
  });
});

describe('quotes', () => {
  it('are priced and totalled exactly, with every bad line named, and keep their revisions', async () => {
    const { rep, admin, customer, product } = await team();
    const quote = await draft(rep, customer.id, product.id, '10');
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    // 3 × 100.00 = 300.00, −10 % = 270.00, +19 % tax = 51.30: 321.30.
    expect(quote.body).toMatchObject({ status: 'draft', version: 1, totals: { subtotal: '300.00', discountTotal: '30.00', netTotal: '270.00', taxTotal: '51.30', grandTotal: '321.30' } });
    expect(quote.body.number).toMatch(/^Q-\d{4}-0001$/);

    const inactive = (await call<Product>('POST', '/products', { token: admin, body: { sku: `OLD-${product.id}`, name: 'Old', prices: { EUR: '5.00' }, active: false } })).body;
    const line = (fields: Record<string, unknown>) => ({ productId: product.id, quantity: 1, ...fields });
    const quoteOf = (lines: Record<string, unknown>[]) => call<Problem>('POST', '/quotes', { token: rep, body: { customerId: customer.id, currency: 'EUR', validUntil: '2027-01-31', lines } });
    const malformed = await quoteOf([line({ quantity: -1 }), line({ discountPercent: '101' }), line({ quantity: 0.0001 })]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors!.map((e) => e.path).sort()).toEqual(['lines.0.quantity', 'lines.1.discountPercent', 'lines.2.quantity']);
    const unpriceable = await quoteOf([line({ productId: inactive.id }), line({ unitPrice: '9.999' }), line({ productId: '01JD0000000000000000000000' })]);
    expect(unpriceable.status).toBe(400);
    expect(unpriceable.body.errors!.map((e) => e.path).sort()).toEqual(['lines.0.productId', 'lines.1.unitPrice', 'lines.2.productId']);

    const revised = await call<Quote>('PATCH', `/quotes/${quote.body.id}`, { token: rep, body: { lines: [{ productId: product.id, quantity: 2.5, unitPrice: '80.00' }] }, headers: { 'if-match': '"1"' } });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body).toMatchObject({ version: 2, totals: { grandTotal: '238.00' } });
    const revisions = await call<{ items: Quote[] }>('GET', `/quotes/${quote.body.id}/revisions`, { token: rep });
    expect(revisions.body.items.map((q) => [q.version, q.totals.grandTotal])).toEqual([[1, '321.30']]);
  });

  it("are priced from the customer level's price list where the product has one, and orders from lines too", async () => {
    const { admin, rep, customer, product } = await team();
    const listed = await call<Product & { levelPrices: Record<string, Record<string, string>> }>('PATCH', `/products/${product.id}`, {
      token: admin, body: { levelPrices: { gold: { EUR: '90.00' } } }, headers: { 'if-match': '"1"' },
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.levelPrices).toEqual({ gold: { EUR: '90.00' } });
    const gold = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Gold AG', level: 'gold' } })).body;
    const line = [{ productId: product.id, quantity: 1 }];
    const quoteFor = async (customerId: string) => (await call<Quote & { lines: { unitPrice: string; priceLevel: string | null }[] }>('POST', '/quotes', { token: rep, body: { customerId, currency: 'EUR', validUntil: '2027-01-31', lines: line } })).body;
    expect((await quoteFor(gold.id)).lines[0]).toMatchObject({ unitPrice: '90.00', priceLevel: 'gold' });
    expect((await quoteFor(customer.id)).lines[0]).toMatchObject({ unitPrice: '100.00', priceLevel: null });
    const order = await call<{ totals: { grandTotal: string } }>('POST', '/orders', { token: rep, body: { customerId: gold.id, currency: 'EUR', lines: line } });
    expect(order.body.totals.grandTotal).toBe('107.10');
  });

  it('without a discount above the policy, is approved at once on submit', async () => {
    const { rep, customer, product } = await team();
    const quote = (await draft(rep, customer.id, product.id, '20')).body;
    const submitted = await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'approved', approval: { processId: null, status: 'not-required' } });
  });
});

describe('approvals', () => {
  it("a discount above 20 % waits on the requester's manager; approving runs the flow to the end, once", async () => {
    const { rep, repId, manager, managerId, secondManager, customer, product } = await team();
    const quote = (await draft(rep, customer.id, product.id, '25')).body;
    const submitted = await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep });
    expect(submitted.body).toMatchObject({ status: 'pending-approval', approval: { status: 'running' } });
    const processId = submitted.body.approval!.processId!;

    const pending = await inbox(manager);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ processId, approverId: managerId, status: 'pending', step: 0 });
    expect(await inbox(secondManager)).toEqual([]);
    // Not theirs to decide: neither the other manager nor the requester.
    expect((await call('POST', `/approvals/${pending[0]!.id}/approve`, { token: secondManager, body: {} })).status).toBe(404);
    expect((await call('POST', `/approvals/${pending[0]!.id}/approve`, { token: rep, body: {} })).status).toBe(404);

    const [first, second] = await Promise.all([
      call<Approval>('POST', `/approvals/${pending[0]!.id}/approve`, { token: manager, body: { comment: 'Strategic account' } }),
      call<Approval>('POST', `/approvals/${pending[0]!.id}/approve`, { token: manager, body: {} }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    await settle();

    const approved = await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep });
    expect(approved.body).toMatchObject({ status: 'approved', approval: { processId, status: 'approved' } });
    const process = await call<Process>('GET', `/processes/${processId}`, { token: rep });
    expect(process.body).toMatchObject({ status: 'approved', waitingOn: [] });
    expect(process.body.history.map((h) => h.type)).toEqual(['started', 'step-opened', 'approved', 'finished']);
    expect(process.body.history.find((h) => h.type === 'approved')).toMatchObject({ by: managerId });
    expect(await inbox(manager)).toEqual([]);
    const view = await call<{ processes: { id: string; status: string }[]; quotes?: unknown }>('GET', `/customers/${customer.id}/360`, { token: rep });
    expect(view.body.processes).toEqual([expect.objectContaining({ id: processId, status: 'approved', requesterId: repId })]);
    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${customer.id}/activities`, { token: rep });
    expect(timeline.body.items.filter((a) => a.type === 'process').map((a) => a.subject).sort()).toEqual(
      ['Approval (quote-discount) approved', 'Approval requested (quote-discount), step 1: 1 approver', 'Approval step 1 approved'].sort(),
    );
  });

  it("a running approval survives a merge of its customer: the decision lands on the quote, now the survivor's", async () => {
    const { admin, rep, manager, customer, product } = await team();
    const quote = (await draft(rep, customer.id, product.id, '25')).body;
    const processId = (await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep })).body.approval!.processId!;
    const pending = await inbox(manager);
    expect(pending).toHaveLength(1);

    const survivor = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer GmbH (new)', emails: [uniqueEmail('buyer')] } })).body;
    const merged = await call('POST', `/customers/${survivor.id}/merge`, { token: admin, body: { sourceId: customer.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);

    const decided = await call('POST', `/approvals/${pending[0]!.id}/approve`, { token: manager, body: {} });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    await settle();
    expect((await call<Quote & { customerId: string }>('GET', `/quotes/${quote.id}`, { token: rep })).body).toMatchObject({ status: 'approved', customerId: survivor.id });
    const view = await call<{ processes: { id: string; status: string }[] }>('GET', `/customers/${survivor.id}/360`, { token: rep });
    expect(view.body.processes).toEqual([expect.objectContaining({ id: processId, status: 'approved' })]);
    expect(await inbox(manager)).toEqual([]);
  });

  it('a two-step chain with a parallel step: "all" waits for both, a rejection ends it and the quote returns to draft', async () => {
    const { admin, approvingAdmin, approvingAdminId, rep, manager, managerId, secondManager, secondManagerId, customer, product } = await team();
    const policy = await call('PUT', '/approval-policies/quote-discount', {
      token: admin,
      body: { rules: [{ name: 'Any discount', when: { discountAbovePercent: '5' }, steps: [{ name: 'Managers', approvers: [{ role: 'manager' }], mode: 'all' }, { name: 'Admin', approvers: [{ role: 'admin' }] }] }] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    const quote = (await draft(rep, customer.id, product.id, '10')).body;
    const processId = (await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep })).body.approval!.processId!;

    const mine = (await inbox(manager))[0]!;
    expect((await call('POST', `/approvals/${mine.id}/approve`, { token: manager, body: {} })).status).toBe(200);
    await settle();
    // Still step 1: the other manager has not decided.
    expect((await call<Process>('GET', `/processes/${processId}`, { token: rep })).body).toMatchObject({ currentStep: 0, waitingOn: [secondManagerId] });
    const theirs = (await inbox(secondManager))[0]!;
    expect((await call('POST', `/approvals/${theirs.id}/approve`, { token: secondManager, body: {} })).status).toBe(200);
    await settle();
    const atAdmin = await call<Process>('GET', `/processes/${processId}`, { token: rep });
    // Roles resolve among the directory's active users: the admin who signs in by token only is not in it.
    expect(atAdmin.body).toMatchObject({ status: 'running', currentStep: 1, waitingOn: [approvingAdminId] });
    const adminItem = (await inbox(approvingAdmin))[0]!;
    const rejected = await call('POST', `/approvals/${adminItem.id}/reject`, { token: approvingAdmin, body: { comment: 'Margin too thin' } });
    expect(rejected.status).toBe(200);
    await settle();
    expect((await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body).toMatchObject({ status: 'draft', approval: { processId, status: 'rejected' } });
    const ended = await call<Process>('GET', `/processes/${processId}`, { token: rep });
    expect(ended.body.status).toBe('rejected');
    expect(ended.body.history.find((h) => h.type === 'rejected')).toMatchObject({ comment: 'Margin too thin' });
    expect(managerId).not.toBe(secondManagerId);
  });

  it('editing a quote under approval recalls it: the approver gets 409, nothing is half-approved', async () => {
    const { rep, manager, customer, product } = await team();
    const quote = (await draft(rep, customer.id, product.id, '30')).body;
    const processId = (await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep })).body.approval!.processId!;
    const pending = (await inbox(manager))[0]!;

    const revised = await call<Quote>('PATCH', `/quotes/${quote.id}`, { token: rep, body: { terms: 'Net 30' }, headers: { 'if-match': '"2"' } });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    expect(revised.body).toMatchObject({ status: 'draft', approval: { processId, status: 'recalled' } });
    const late = await call<Problem>('POST', `/approvals/${pending.id}/approve`, { token: manager, body: {} });
    expect(late.status).toBe(409);
    await settle();
    expect((await call<Process>('GET', `/processes/${processId}`, { token: rep })).body.status).toBe('recalled');
    expect(await inbox(manager)).toEqual([]);
    expect((await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body.status).toBe('draft');

    // Submitted again, then recalled by the requester.
    const again = (await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep })).body;
    expect(again.status).toBe('pending-approval');
    const recalled = await call<Quote>('POST', `/quotes/${quote.id}/recall`, { token: rep });
    expect(recalled.body).toMatchObject({ status: 'draft', approval: { status: 'recalled' } });
    expect(await inbox(manager)).toEqual([]);
    const flows = await call<{ executions: { flow: string; status: string }[] }>('GET', '/_local/executions');
    expect(flows.body.executions.filter((e) => e.flow === 'approval' && e.status === 'FAILED')).toEqual([]);
  });
});
