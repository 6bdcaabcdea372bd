import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

/**
 * Sending a quote end to end through the local runtime (docs/processes.md, "Sending a quote"): the
 * mail with its signed link, the public page, the customer's answer landing on the quote (and, on
 * acceptance, as an order with the purchase), the timeline; one answer per quote under a race.
 */

interface Mail {
  to: string[];
  subject: string;
  text?: string;
}
interface Quote {
  id: string;
  number: string;
  status: string;
  version: number;
  sent: { to: string; contactId: string | null; expiresAt: string } | null;
  answer: { outcome: string; via: string; signedBy: string | null; reason: string | null; orderId: string | null } | null;
}
interface Problem {
  type?: string;
  errors?: { path: string }[];
}

async function shop() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const email = uniqueEmail('buyer');
  const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Buyer AG', kind: 'company', emails: [email] } })).body;
  const product = (await call<{ id: string }>('POST', '/products', { token: admin, body: { sku: `S-${tenant}`, name: 'Seat', prices: { EUR: '100.00' }, taxRatePercent: '19' } })).body;
  return { tenant, admin, rep, customer, product, email };
}

/** An approved quote (no discount: the default policy approves it at once). */
async function approvedQuote(rep: string, customerId: string, productId: string, validUntil = '2099-01-31') {
  const quote = (await call<Quote>('POST', '/quotes', { token: rep, body: { customerId, currency: 'EUR', validUntil, lines: [{ productId, quantity: 2 }], terms: 'Net 30.' } })).body;
  const submitted = await call<Quote>('POST', `/quotes/${quote.id}/submit`, { token: rep });
  expect(submitted.body.status).toBe('approved');
  return quote;
}

const send = (token: string, id: string, body: Record<string, unknown> = {}) => call<Quote & Problem>('POST', `/quotes/${id}/send`, { token, body });

async function mailsTo(address: string): Promise<Mail[]> {
  const { body } = await call<{ emails: Mail[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(address));
}

const linkOf = (mail: Mail) => /here: (\S+)$/m.exec(mail.text ?? '')?.[1] ?? '';

/** A public page: HTML on success, problem+json otherwise. */
async function page(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  const response = await fetch(url, { method, ...(form ? { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function sentQuote() {
  const shopped = await shop();
  const quote = await approvedQuote(shopped.rep, shopped.customer.id, shopped.product.id);
  const sent = await send(shopped.rep, quote.id, { message: 'As discussed on Monday.' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  await settle();
  const mails = await mailsTo(shopped.email);
  expect(mails).toHaveLength(1);
  return { ...shopped, quote: sent.body, mail: mails[0]!, link: linkOf(mails[0]!) };
}

describe('sending a quote', () => {
  it('mails an approved quote once, with a signed link to a page that shows it and records nothing', async () => {
    const { rep, quote, mail, link, email } = await sentQuote();
    expect(quote).toMatchObject({ status: 'sent', sent: { to: email, contactId: null, expiresAt: '2099-01-31T23:59:59.999Z' }, answer: null });
    expect(mail.subject).toBe(`Your quote ${quote.number}: 238.00 EUR`);
    expect(mail.text).toContain('As discussed on Monday.');
    expect(mail.text).toContain('2 × Seat');
    expect(link.startsWith(`${stack().apiUrl}/quote-links/`)).toBe(true);

    const shown = await page('GET', link);
    expect(shown.status).toBe(200);
    expect(shown.type).toContain('text/html');
    expect(shown.text).toContain(`Quote ${quote.number}`);
    expect(shown.text).toContain('238.00');
    expect(shown.text).toContain('Net 30.');
    expect(shown.text).not.toContain('Buyer AG');
    // The forms post to the link plus /accept and /decline.
    const token = link.split('/').pop()!;
    expect(shown.text).toContain(`action="${token}/accept"`);
    expect((await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body.status).toBe('sent');
  });

  it('refuses to send a draft, an address not on record, and an unknown contact, each by name', async () => {
    const { rep, customer, product } = await shop();
    const draft = (await call<Quote>('POST', '/quotes', { token: rep, body: { customerId: customer.id, currency: 'EUR', validUntil: '2099-01-31', lines: [{ productId: product.id, quantity: 1 }] } })).body;
    const early = await send(rep, draft.id);
    expect(early.status).toBe(409);
    expect(early.body.type).toContain('quote-status');
    expect((await call('POST', `/quotes/${draft.id}/submit`, { token: rep })).status).toBe(200);
    const stranger = await send(rep, draft.id, { to: 'someone-else@example.com' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors!.map((e) => e.path)).toEqual(['to']);
    const ghost = await send(rep, draft.id, { contactId: '01JD5X8Q2V3M4N5P6R7S8T9VWX' });
    expect(ghost.status).toBe(400);
    expect(ghost.body.errors!.map((e) => e.path)).toEqual(['contactId']);
    expect((await send(rep, draft.id, { cc: 'x' })).status).toBe(400);
    expect((await call<Quote>('GET', `/quotes/${draft.id}`, { token: rep })).body.status).toBe('approved');
  });

  it("goes to a contact's address when one is named", async () => {
    const { rep, customer, product } = await shop();
    const address = uniqueEmail('buyer-contact');
    const contact = (await call<{ id: string }>('POST', `/customers/${customer.id}/contacts`, { token: rep, body: { name: 'Carla Buyer', emails: [address] } })).body;
    const quote = await approvedQuote(rep, customer.id, product.id);
    const sent = await send(rep, quote.id, { contactId: contact.id });
    expect(sent.body.sent).toMatchObject({ to: address, contactId: contact.id });
    await settle();
    expect(await mailsTo(address)).toHaveLength(1);
  });

  it('accepted through the link: the quote is accepted and the order placed in one commit, once', async () => {
    const { rep, customer, quote, link } = await sentQuote();
    const unsigned = await page('POST', `${link}/accept`, {});
    expect(unsigned.status).toBe(400);
    expect(unsigned.text).toContain('signedBy');

    const accepted = await page('POST', `${link}/accept`, { signedBy: 'Carla Buyer' });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Thank you for your order');
    const after = (await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body;
    expect(after).toMatchObject({ status: 'accepted', answer: { outcome: 'accepted', via: 'link', signedBy: 'Carla Buyer', reason: null } });
    const order = await call<{ status: string; quoteId: string; ownerId: string; totals: { grandTotal: string } }>('GET', `/orders/${after.answer!.orderId}`, { token: rep });
    expect(order.body).toMatchObject({ status: 'confirmed', quoteId: quote.id, ownerId: 'rep-1', totals: { grandTotal: '238.00' } });

    // The same answer again changes nothing; the other answer is refused; the page shows the answer.
    const again = await page('POST', `${link}/accept`, { signedBy: 'Carla Buyer' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('already recorded');
    expect((await page('POST', `${link}/decline`, { reason: 'Changed my mind' })).status).toBe(409);
    expect((await page('GET', link)).text).toContain('You accepted this quote');

    const purchases = await call<{ orderCount: number }>('GET', `/customers/${customer.id}/purchases`, { token: rep });
    expect(purchases.body.orderCount).toBe(1);
    await settle();
    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${customer.id}/activities`, { token: rep });
    const subjects = timeline.body.items.filter((a) => a.type === 'process').map((a) => a.subject);
    expect(subjects).toEqual(expect.arrayContaining(['Quote sent: 238.00 EUR, valid until 2099-01-31', 'Quote accepted by the customer, order placed', 'Order placed: 238.00 EUR']));
  });

  it('declined through the link: the quote is rejected with the reason, no order', async () => {
    const { rep, customer, quote, link } = await sentQuote();
    const declined = await page('POST', `${link}/decline`, { reason: 'Too expensive' });
    expect(declined.status).toBe(200);
    const after = (await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body;
    expect(after).toMatchObject({ status: 'rejected', answer: { outcome: 'declined', via: 'link', reason: 'Too expensive', orderId: null } });
    expect((await call<{ orderCount: number }>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body.orderCount).toBe(0);
    expect((await page('POST', `${link}/accept`, { signedBy: 'Carla Buyer' })).status).toBe(409);
  });

  it('an accept and a decline at once: one answer wins, and only an acceptance places an order', async () => {
    const { rep, customer, quote, link } = await sentQuote();
    const [accept, decline] = await Promise.all([page('POST', `${link}/accept`, { signedBy: 'Carla' }), page('POST', `${link}/decline`, {})]);
    expect([accept.status, decline.status].sort()).toEqual([200, 409]);
    const after = (await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body;
    expect(after.status).toBe(accept.status === 200 ? 'accepted' : 'rejected');
    expect((await call<{ orderCount: number }>('GET', `/customers/${customer.id}/purchases`, { token: rep })).body.orderCount).toBe(accept.status === 200 ? 1 : 0);
  });

  it('refuses tampered links, and closes a link once the quote expired', async () => {
    const { tenant, rep, customer, quote, link } = await sentQuote();
    const token = link.split('/').pop()!;
    const [payload, signature] = token.split('.');
    const forged = await page('GET', `${stack().apiUrl}/quote-links/${payload}.${signature!.slice(0, -2)}AA`);
    expect(forged.status).toBe(400);

    // The validity ends (moved back in the table rather than the shared clock forward).
    await rawTable().send(new UpdateCommand({ TableName: stack().tableName, Key: keys.quote(tenant, customer.id, quote.id), UpdateExpression: 'SET validUntil = :d', ExpressionAttributeValues: { ':d': '2020-01-31' } }));
    const expired = await page('GET', link);
    expect(expired.status).toBe(410);
    expect((await page('POST', `${link}/accept`, { signedBy: 'Carla' })).status).toBe(410);
    expect((await call<Quote>('GET', `/quotes/${quote.id}`, { token: rep })).body.status).toBe('expired');
    const resend = await send(rep, quote.id);
    expect(resend.status).toBe(409);
    expect(resend.body.type).toContain('quote-expired');
  });

  it('sent again: the same link goes out again', async () => {
    const { rep, quote, email, link } = await sentQuote();
    const again = await send(rep, quote.id);
    expect(again.status).toBe(200);
    await settle();
    const links = (await mailsTo(email)).map(linkOf);
    expect(links).toHaveLength(2);
    expect(new Set(links)).toEqual(new Set([link]));
  });

  it("an accepted quote wins its open deal, once; a declined one leaves it open", async () => {
    const { admin, rep, customer, product, email } = await shop();
    const pipeline = (await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: [{ id: 'proposal', name: 'Proposal', probability: 50 }] } })).body;
    const deal = async () =>
      (await call<{ id: string }>('POST', '/deals', { token: rep, body: { customerId: customer.id, pipelineId: pipeline.id, name: 'Seats', amount: '238.00', currency: 'EUR', expectedCloseDate: '2027-02-15' } })).body;
    const [won, open] = [await deal(), await deal()];
    const answer = async (dealId: string, form: 'accept' | 'decline') => {
      const quote = (await call<Quote>('POST', '/quotes', { token: rep, body: { customerId: customer.id, dealId, currency: 'EUR', validUntil: '2099-01-31', lines: [{ productId: product.id, quantity: 2 }] } })).body;
      await call('POST', `/quotes/${quote.id}/submit`, { token: rep });
      await send(rep, quote.id);
      await settle();
      const link = linkOf((await mailsTo(email)).find((m) => m.subject.startsWith(`Your quote ${quote.number}`))!);
      expect((await page('POST', `${link}/${form}`, form === 'accept' ? { signedBy: 'Carla' } : {})).status).toBe(200);
      await settle();
    };
    await answer(won.id, 'accept');
    await answer(open.id, 'decline');
    const status = async (id: string) => (await call<{ status: string; closeReason: string | null }>('GET', `/deals/${id}`, { token: rep })).body;
    expect(await status(won.id)).toMatchObject({ status: 'won' });
    expect((await status(open.id)).status).toBe('open');
  });
});
