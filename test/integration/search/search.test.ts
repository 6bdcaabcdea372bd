import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor } from '../client';

// GET /search on the local runtime (docs/search.md): the word index is written by the stream
// consumer, so every test settles (the stream has been read) before it searches.

interface Hit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  matched: string;
  ownerId?: string;
  customerId?: string;
}
interface Page {
  items: Hit[];
  cursor: string | null;
}
type Counts = Record<string, { requests: number }>;

async function create(token: string, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  const res = await call<{ id: string; version: number }>('POST', '/customers', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function search(token: string, q: string, extra = ''): Promise<Hit[]> {
  const res = await call<Page>('GET', `/search?q=${encodeURIComponent(q)}${extra}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const ids = (hits: Hit[]) => hits.map((h) => h.id).sort();

async function setup() {
  const tenant = newTenant();
  return {
    tenant,
    admin: await tokenFor(tenant, 'adm-1', ['admin']),
    ann: await tokenFor(tenant, 'ann', ['rep'], 'north'),
    bob: await tokenFor(tenant, 'bob', ['rep'], 'south'),
    northManager: await tokenFor(tenant, 'mgr-north', ['manager'], 'north'),
    southManager: await tokenFor(tenant, 'mgr-south', ['manager'], 'south'),
  };
}

describe('GET /search', () => {
  it('finds customers and contacts by a word prefix, an accent-free word, an email, a phone in any format and a domain', async () => {
    const { admin } = await setup();
    const northwind = await create(admin, { kind: 'company', name: 'Northwind Traders', domain: 'northwind.test', phones: ['+44 20 7946 0958'] });
    const cafe = await create(admin, { kind: 'person', name: 'Café Müller', emails: ['Mia@Cafe-Mueller.test'] });
    const contact = await call<{ id: string }>('POST', `/customers/${northwind.id}/contacts`, {
      token: admin,
      body: { name: 'Grace Hopper', title: 'CTO', emails: ['grace@northwind.test'], phones: ['+1 415 555 0100'] },
    });
    expect(contact.status).toBe(201);
    await settle();

    expect(await search(admin, 'Traders')).toEqual([{ type: 'customer', id: northwind.id, title: 'Northwind Traders', subtitle: 'northwind.test', matched: 'name' }]);
    expect(ids(await search(admin, 'trad'))).toEqual([northwind.id]);
    expect(ids(await search(admin, 'north trad'))).toEqual([northwind.id]);
    expect(await search(admin, 'north xyz')).toEqual([]);
    expect(await search(admin, 'cafe')).toEqual([expect.objectContaining({ id: cafe.id, matched: 'name' })]);
    expect(await search(admin, 'MIA@cafe')).toEqual([expect.objectContaining({ id: cafe.id, matched: 'email' })]);
    for (const phone of ['+44 20 7946 0958', '0044 20 7946 0958', '020 7946 0958', '(020) 7946-0958', '+44-20-7946']) {
      expect(await search(admin, phone), phone).toEqual([expect.objectContaining({ id: northwind.id, matched: 'phone' })]);
    }
    expect(await search(admin, '(415) 555-0100')).toEqual([
      { type: 'contact', id: contact.body.id, customerId: northwind.id, title: 'Grace Hopper', subtitle: 'CTO', matched: 'phone' },
    ]);
    expect(await search(admin, 'hopp')).toEqual([expect.objectContaining({ type: 'contact', id: contact.body.id, matched: 'name' })]);
    // The domain finds the company and the person with an email at it; so does @domain.
    const byDomain = await search(admin, 'northwind.test');
    expect(byDomain.map((h) => [h.type, h.id, h.matched]).sort()).toEqual(
      [['contact', contact.body.id, 'domain'], ['customer', northwind.id, 'domain']].sort(),
    );
    expect(ids(await search(admin, '@northwind.test'))).toEqual(ids(byDomain));
    expect(await search(admin, 'grace', '&types=customer')).toEqual([]);
  });

  it('follows a rename, a merge and an erasure: the old name, the merged source and the erased customer are gone', async () => {
    const { admin } = await setup();
    const kept = await create(admin, { kind: 'company', name: 'Globex Corporation' });
    const source = await create(admin, { kind: 'company', name: 'Globex Holdings', emails: ['hq@globex-holdings.test'] });
    const contact = await call<{ id: string }>('POST', `/customers/${source.id}/contacts`, { token: admin, body: { name: 'Hank Scorpio' } });
    const erased = await create(admin, { kind: 'person', name: 'Erin Erasable', emails: ['erin@erasable.test'], phones: ['+49 30 1234567'] });
    await settle();
    expect(ids(await search(admin, 'globex'))).toEqual([kept.id, source.id].sort());

    const renamed = await call('PATCH', `/customers/${kept.id}`, { token: admin, body: { name: 'Initech Corporation' }, headers: { 'if-match': `"${kept.version}"` } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    await settle();
    expect(ids(await search(admin, 'globex'))).toEqual([source.id]);
    expect(ids(await search(admin, 'initech'))).toEqual([kept.id]);

    expect((await call('POST', `/customers/${kept.id}/merge`, { token: admin, body: { sourceId: source.id } })).status).toBe(200);
    await settle();
    expect(await search(admin, 'holdings')).toEqual([]);
    // The survivor took the source's email and its contact, and is found by them.
    expect(await search(admin, 'hq@globex')).toEqual([expect.objectContaining({ id: kept.id, type: 'customer' })]);
    expect(await search(admin, 'scorpio')).toEqual([expect.objectContaining({ type: 'contact', id: contact.body.id, customerId: kept.id })]);

    expect((await call('DELETE', `/customers/${erased.id}`, { token: admin })).status).toBe(204);
    await settle();
    for (const q of ['erin', 'erasable', 'erin@erasable.test', '+49 30 1234567', 'erasable.test']) expect(await search(admin, q), q).toEqual([]);
  });

  it("shows a rep only their own customers and a manager the team's and the unowned, contacts alike", async () => {
    const { admin, ann, bob, northManager, southManager } = await setup();
    const annsOwn = await create(ann, { kind: 'company', name: 'Vandelay Imports' });
    const bobsOwn = await create(bob, { kind: 'company', name: 'Vandelay Exports' });
    const unowned = await create(admin, { kind: 'company', name: 'Vandelay Industries' });
    await call('POST', `/customers/${bobsOwn.id}/contacts`, { token: bob, body: { name: 'Art Vandelay' } });
    await settle();

    expect(ids(await search(ann, 'vandelay'))).toEqual([annsOwn.id]);
    expect((await search(bob, 'vandelay')).map((h) => h.type).sort()).toEqual(['contact', 'customer']);
    expect(ids(await search(northManager, 'vandelay', '&types=customer'))).toEqual([annsOwn.id, unowned.id].sort());
    expect(ids(await search(southManager, 'vandelay', '&types=customer'))).toEqual([bobsOwn.id, unowned.id].sort());
    expect(await search(ann, 'art')).toEqual([]);

    // A new owner moves the customer and its contacts to the new owner's searches.
    expect((await call('PUT', '/users/ann', { token: admin, body: { email: 'ann@example.com', name: 'Ann', teamId: 'north' } })).status).toBeLessThan(300);
    expect((await call('POST', `/customers/${bobsOwn.id}/assign`, { token: admin, body: { ownerId: 'ann' } })).status).toBe(200);
    await settle();
    expect((await search(ann, 'vandelay')).map((h) => h.id).sort()).toEqual(expect.arrayContaining([annsOwn.id, bobsOwn.id]));
    expect(await search(ann, 'art')).toEqual([expect.objectContaining({ type: 'contact', customerId: bobsOwn.id })]);
    expect(await search(bob, 'vandelay')).toEqual([]);
  });

  it('finds leads and deals, each as its own rules allow', async () => {
    const { admin, ann, bob } = await setup();
    const lead = await call<{ id: string }>('POST', '/leads', { token: admin, body: { name: 'Ada Lovelace', email: 'ada@engines.test', company: 'Analytical Engines', phone: '+44 20 7000 0001' } });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New', stages: [{ id: 'qualified', name: 'Qualified', probability: 10 }] } });
    const customer = await create(ann, { kind: 'company', name: 'Wayne Enterprises' });
    const deal = await call<{ id: string }>('POST', '/deals', {
      token: ann,
      body: { customerId: customer.id, pipelineId: pipeline.body.id, stageId: 'qualified', name: 'Batmobile Fleet', amount: '1000', currency: 'EUR', expectedCloseDate: '2027-02-15' },
    });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    await settle();

    expect(await search(admin, 'lovelace')).toEqual([{ type: 'lead', id: lead.body.id, title: 'Ada Lovelace', subtitle: 'Analytical Engines · new', matched: 'name' }]);
    expect(await search(admin, 'analyt')).toEqual([expect.objectContaining({ type: 'lead', id: lead.body.id })]);
    expect(await search(admin, '020 7000 0001')).toEqual([expect.objectContaining({ type: 'lead', matched: 'phone' })]);
    expect(await search(ann, 'lovelace')).toEqual([]);
    expect(await search(ann, 'batmob')).toEqual([{ type: 'deal', id: deal.body.id, customerId: customer.id, ownerId: 'ann', ownerName: null, title: 'Batmobile Fleet', subtitle: 'qualified', matched: 'name' }]);
    expect(await search(bob, 'batmob')).toEqual([]);
    expect(await search(admin, 'fleet', '&types=lead')).toEqual([]);
  });

  it('is one Query per page, and pages on with the cursor until every match was seen', async () => {
    const { admin } = await setup();
    const created = [];
    for (const name of ['Pager One', 'Pager Two', 'Pager Three', 'Pagination Four', 'Other Five']) created.push(await create(admin, { name }));
    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');

    const first = await call<Page>('GET', '/search?q=pag&limit=2', { token: admin });

    const counts = (await call<{ operations: Counts }>('GET', '/_local/dynamodb-requests')).body.operations;
    expect(Object.fromEntries(Object.entries(counts).map(([op, c]) => [op, c.requests]))).toEqual({ Query: 1 });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.cursor).toEqual(expect.any(String));
    const seen = [...first.body.items];
    for (let cursor = first.body.cursor; cursor; ) {
      const next = await call<Page>('GET', `/search?q=pag&limit=2&cursor=${cursor}`, { token: admin });
      expect(next.status).toBe(200);
      seen.push(...next.body.items);
      cursor = next.body.cursor;
    }
    expect(ids(seen)).toEqual(created.slice(0, 4).map((c) => c.id).sort());
  });

  it('answers 400 problem+json naming q, types, limit or cursor', async () => {
    const { admin } = await setup();
    const cases: [string, string][] = [
      ['/search', 'query.q'],
      ['/search?q=', 'query.q'],
      ['/search?q=x', 'query.q'],
      [`/search?q=${'x'.repeat(101)}`, 'query.q'],
      ['/search?q=!!', 'query.q'],
      ['/search?q=acme&types=customer,company', 'query.types'],
      ['/search?q=acme&limit=0', 'query.limit'],
      ['/search?q=acme&cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ];
    for (const [path, field] of cases) {
      const res = await call<{ errors: { path: string }[] }>('GET', path, { token: admin });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
      expect(res.body.errors.map((e) => e.path), path).toEqual([field]);
    }
  });
});
