import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Problem {
  type?: string;
  errors?: { path: string }[];
}
interface Order {
  id: string;
  number: string;
  status: string;
  version: number;
  quoteId: string | null;
  totals: { grandTotal: string };
  paid: string;
  balance: string;
  invoice: { dueDate: string } | null;
  payments: { amount: string }[];
}
interface Purchases {
  orderCount: number;
  lifetimeSpend: Record<string, string>;
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  purchases: { orderId: string; sku: string; quantity: number; total: string; currency: string }[];
}

async function shop() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const email = uniqueEmail('buyer');
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer AG', emails: [email] } })).body;
  const product = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `S-${tenant}`, name: 'Seat', prices: { EUR: '100.00', JPY: '15000' }, taxRatePercent: '19' } })).body;
  return { tenant, admin, rep, customer, product, email };
}

const order = (token: string, body: Record<string, unknown>) => call<Order & Problem>('POST', '/orders', { token, body });

describe('orders', () => {
  it('from an approved quote: the quote is accepted once, a second order from it is refused', async () => {
    const { rep, customer, product } = await shop();
    const quote = (await call<{ id: string }>('POST', '/quotes', { token: rep, body: { customerId: customer.id, currency: 'EUR', validUntil: '2099-01-31', lines: [{ productId: product.id, quantity: 3, discountPercent: '10' }] } })).body;
    // Not yet approved: no order.
    const early = await order(rep, { customerId: customer.id, quoteId: quote.id });
    expect(early.status).toBe(409);
    expect(early.body.type).toContain('quote-not-orderable');
    expect((await call('POST', `/quotes/${quote.id}/submit`, { token: rep })).status).toBe(200);

    const [first, second] = await Promise.all([order(rep, { customerId: customer.id, quoteId: quote.id }), order(rep, { customerId: customer.id, quoteId: quote.id })]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const placed = first.status === 201 ? first.body : second.body;
    expect(placed).toMatchObject({ status: 'confirmed', quoteId: quote.id, totals: { grandTotal: '321.30' }, balance: '321.30', paid: '0.00' });
    // The refused order drew a number too: numbers never repeat, and may skip.
    expect(placed.number).toMatch(/^O-\d{4}-000[12]$/);
    expect((await call<{ status: string }>('GET', `/quotes/${quote.id}`, { token: rep })).body.status).toBe('accepted');
  });

  it('moves through dispatch, delivery and invoice, takes partial payments and is paid by the one that settles it', async () => {
    const { rep, customer, product, email } = await shop();
    const placed = (await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 2 }] })).body;
    expect(placed.totals.grandTotal).toBe('238.00');
    // Out of order: delivering what was never dispatched, paying what is not invoiced.
    expect((await call<Problem>('POST', `/orders/${placed.id}/deliver`, { token: rep, body: {} })).status).toBe(409);
    expect((await call('POST', `/orders/${placed.id}/payments`, { token: rep, body: { amount: '10.00' } })).status).toBe(409);

    for (const [step, body] of [['dispatch', {}], ['deliver', {}], ['invoice', { dueDate: '2027-01-15' }]] as const) {
      const res = await call<Order>('POST', `/orders/${placed.id}/${step}`, { token: rep, body });
      expect(res.status, `${step}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const tooMuch = await call<Problem>('POST', `/orders/${placed.id}/payments`, { token: rep, body: { amount: '238.01' } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors!.map((e) => e.path)).toEqual(['amount']);
    expect((await call<Problem>('POST', `/orders/${placed.id}/payments`, { token: rep, body: { amount: '1.001' } })).status).toBe(400);

    const part = await call<Order>('POST', `/orders/${placed.id}/payments`, { token: rep, body: { amount: '100.00', reference: 'wire 1' } });
    expect(part.body).toMatchObject({ status: 'invoiced', paid: '100.00', balance: '138.00' });
    const rest = await call<Order>('POST', `/orders/${placed.id}/payments`, { token: rep, body: { amount: '138.00' } });
    expect(rest.body).toMatchObject({ status: 'paid', paid: '238.00', balance: '0.00' });
    expect(rest.body.payments.map((p) => p.amount)).toEqual(['100.00', '138.00']);

    await settle();
    // Order dispatch: the order document went to the customer, once.
    const mails = (await call<{ emails: { to: string[]; subject: string; text?: string }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(email));
    expect(mails.map((m) => m.subject)).toEqual([`Your order ${placed.number} is on its way`]);
    expect(mails[0]!.text).toContain('2 × Seat');
    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${customer.id}/activities`, { token: rep });
    expect(timeline.body.items.filter((a) => a.type === 'process').map((a) => a.subject)).toEqual(
      expect.arrayContaining(['Order placed: 238.00 EUR', 'Order dispatched', 'Order delivered', 'Order invoiced, due 2027-01-15', 'Order paid']),
    );
  });

  it("keeps the customer's purchases, spend and last purchase in the same commits; a cancellation takes its order out", async () => {
    const { rep, customer, product } = await shop();
    const euro = (await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] })).body;
    const yen = (await order(rep, { customerId: customer.id, currency: 'JPY', lines: [{ productId: product.id, quantity: 2 }] })).body;
    const third = (await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 10 }] })).body;
    expect((await call('POST', `/orders/${third.id}/cancel`, { token: rep, body: { reason: 'Duplicate' } })).status).toBe(200);

    const purchases = (await call<Purchases>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body;
    expect(purchases).toMatchObject({ orderCount: 2, lifetimeSpend: { EUR: '119.00', JPY: '35700' } });
    expect(purchases.purchases.map((p) => [p.orderId, p.total, p.currency]).sort()).toEqual([[euro.id, '119.00', 'EUR'], [yen.id, '35700', 'JPY']].sort());
    const view = (await call<{ orders: { id: string }[]; purchases: Purchases; customer: { id: string } }>('GET', `/customers/${customer.id}/360`, { token: rep })).body;
    expect(view.orders.map((o) => o.id).sort()).toEqual([euro.id, yen.id, third.id].sort());
    expect(view.purchases).toMatchObject({ orderCount: 2, lifetimeSpend: { EUR: '119.00', JPY: '35700' } });
    expect(view.purchases.lastPurchaseAt).toBe(purchases.lastPurchaseAt);
  });

  it("a merge adds the source's purchase figures onto the survivor's, and a moved order's cancellation takes its own back out", async () => {
    const { admin, rep, customer, product } = await shop();
    const source = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer AG (old)', emails: [uniqueEmail('old')] } })).body;
    const first = (await order(rep, { customerId: source.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] })).body;
    const moved = (await order(rep, { customerId: source.id, currency: 'JPY', lines: [{ productId: product.id, quantity: 1 }] })).body;
    const own = (await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 2 }] })).body;
    const before = (await call<Purchases>('GET', `/customers/${source.id}/purchases`, { token: rep })).body;
    const survivorBefore = (await call<Purchases>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body;

    const merged = await call('POST', `/customers/${customer.id}/merge`, { token: admin, body: { sourceId: source.id } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const after = (await call<Purchases>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body;
    expect(after).toMatchObject({ orderCount: 3, lifetimeSpend: { EUR: '357.00', JPY: '17850' }, firstPurchaseAt: before.firstPurchaseAt, lastPurchaseAt: survivorBefore.lastPurchaseAt });
    expect(after.purchases.map((p) => p.orderId).sort()).toEqual([first.id, moved.id, own.id].sort());

    expect((await call('POST', `/orders/${moved.id}/cancel`, { token: rep, body: {} })).status).toBe(200);
    const cancelled = (await call<Purchases>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body;
    expect(cancelled).toMatchObject({ orderCount: 2 });
    expect(cancelled.lifetimeSpend).toEqual({ EUR: '357.00' });
  });

  it('raises an overdue invoice once, however often the sweep runs, and never for a paid one', async () => {
    const { rep, customer, product } = await shop();
    const now = Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
    const dueDate = new Date(now - 2 * 86_400_000).toISOString().slice(0, 10);
    const invoiced = async () => {
      const placed = (await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] })).body;
      expect((await call('POST', `/orders/${placed.id}/invoice`, { token: rep, body: { dueDate } })).status).toBe(200);
      return placed;
    };
    const unpaid = await invoiced();
    const paid = await invoiced();
    expect((await call('POST', `/orders/${paid.id}/payments`, { token: rep, body: { amount: '119.00' } })).status).toBe(200);
    const partly = await invoiced();
    expect((await call('POST', `/orders/${partly.id}/payments`, { token: rep, body: { amount: '19.00' } })).status).toBe(200);

    for (let run = 0; run < 2; run++) {
      expect((await call('POST', '/_local/schedules/invoice-overdue/run')).status).toBe(200);
      await settle();
    }
    const { body } = await call<{ events: { event: { detail: { data: { orderId: string; balance: string; dueDate: string } } } }[] }>('GET', '/_local/events?detailType=crm.invoice.overdue.v1');
    const raised = body.events.map((e) => e.event.detail.data).filter((d) => [unpaid.id, paid.id, partly.id].includes(d.orderId));
    expect(raised.map((d) => [d.orderId, d.balance, d.dueDate]).sort()).toEqual([[unpaid.id, '119.00', dueDate], [partly.id, '100.00', dueDate]].sort());
    expect((await call<Order & { overdueAt: string | null }>('GET', `/orders/${unpaid.id}`, { token: rep })).body.overdueAt).not.toBeNull();
  });

  it('refuses bad orders, naming the field', async () => {
    const { rep, customer, product } = await shop();
    const both = await order(rep, { customerId: customer.id, quoteId: '01JD0000000000000000000000', currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] });
    expect(both.status).toBe(400);
    const noCurrency = await order(rep, { customerId: customer.id, lines: [{ productId: product.id, quantity: 1 }] });
    expect(noCurrency.body.errors!.map((e) => e.path)).toEqual(['currency']);
    const negative = await order(rep, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: -2 }] });
    expect(negative.body.errors!.map((e) => e.path)).toEqual(['lines.0.quantity']);
    const stranger = await tokenFor(newTenant(), 'rep-9', ['rep']);
    expect((await order(stranger, { customerId: customer.id, currency: 'EUR', lines: [{ productId: product.id, quantity: 1 }] })).status).toBe(400);
  });
});
