import { beforeAll, describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from '../client';

interface Page {
  items: { id: string; name: string; ownerId: string | null; lifecycleStage: string; updatedAt: string }[];
  cursor: string | null;
}

const advance = (by = 'PT1M') => call('POST', '/_local/clock', { body: { advance: by } });
const list = (token: string, query = '') => call<Page>('GET', `/customers${query}`, { token });
const names = (page: Page) => page.items.map((c) => c.name);

/** Reads every page of a list, following cursors. */
async function all(token: string, query: string): Promise<{ names: string[]; pages: number }> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '?';
    const res: { status: number; body: Page } = await list(token, `${query}${cursor ? `${sep}cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    seen.push(...names(res.body));
    cursor = res.body.cursor;
    pages++;
  } while (cursor);
  return { names: seen, pages };
}

describe('GET /customers', () => {
  const tenant = newTenant();
  let admin: string;
  let rep1: string;
  let rep2: string;
  const email = uniqueEmail('lookup');
  let t0: string;

  beforeAll(async () => {
    admin = await tokenFor(tenant, 'boss', ['admin']);
    rep1 = await tokenFor(tenant, 'rep-1', ['rep']);
    rep2 = await tokenFor(tenant, 'rep-2', ['rep']);
    t0 = (await advance()).body.now as string;
    // Oldest first, one minute apart: lists answer newest first.
    const create = async (token: string, body: Record<string, unknown>) => {
      await advance();
      const res = await call('POST', '/customers', { token, body });
      expect(res.status).toBe(201);
    };
    await create(rep1, { name: 'Acme Tools', lifecycleStage: 'lead', tags: ['vip'], emails: [email] });
    await create(rep1, { name: 'Acme Bakery', lifecycleStage: 'customer', phones: ['+49 30 5550101'] });
    await create(rep1, { name: 'Bolt Motors', lifecycleStage: 'lead', tags: ['vip', 'fleet'] });
    await create(rep2, { name: 'Ácme Spa', lifecycleStage: 'lead' });
    await create(admin, { name: 'Zeta Pool Co', lifecycleStage: 'customer', tags: ['vip'] });
  });

  it('lists the tenant for an admin, most recently updated first, and nothing of other tenants', async () => {
    const { body } = await list(admin);
    expect(names(body)).toEqual(['Zeta Pool Co', 'Ácme Spa', 'Bolt Motors', 'Acme Bakery', 'Acme Tools']);
    expect(body.cursor).toBeNull();
    const other = await tokenFor(newTenant(), 'boss', ['admin']);
    expect((await list(other)).body.items).toEqual([]);
  });

  it('pages with limit and cursor without gaps or repeats', async () => {
    const first = await list(admin, '?limit=2');
    expect(names(first.body)).toEqual(['Zeta Pool Co', 'Ácme Spa']);
    expect(first.body.cursor).toEqual(expect.any(String));
    expect(await all(admin, '?limit=2')).toEqual({ names: ['Zeta Pool Co', 'Ácme Spa', 'Bolt Motors', 'Acme Bakery', 'Acme Tools'], pages: 3 });
  });

  it("gives a rep their own book and refuses someone else's", async () => {
    expect(names((await list(rep1)).body)).toEqual(['Bolt Motors', 'Acme Bakery', 'Acme Tools']);
    expect(names((await list(rep1, '?owner=me&stage=lead')).body)).toEqual(['Bolt Motors', 'Acme Tools']);
    expect(names((await list(rep2, '?name=acme')).body)).toEqual(['Ácme Spa']);
    const refused = await list(rep1, '?owner=rep-2');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('filters by owner, stage and tag, alone and combined', async () => {
    expect(names((await list(admin, '?owner=rep-2')).body)).toEqual(['Ácme Spa']);
    expect(names((await list(admin, '?stage=customer')).body)).toEqual(['Zeta Pool Co', 'Acme Bakery']);
    expect((await all(admin, '?tag=vip')).names).toEqual(['Zeta Pool Co', 'Bolt Motors', 'Acme Tools']);
    expect((await all(admin, '?stage=lead&tag=vip&owner=rep-1')).names).toEqual(['Bolt Motors', 'Acme Tools']);
  });

  it('filters by updated range (key condition, both ends inclusive)', async () => {
    const { body } = await list(admin);
    const byName = Object.fromEntries(body.items.map((c) => [c.name, c.updatedAt]));
    const range = `?updatedFrom=${byName['Acme Bakery']}&updatedTo=${byName['Ácme Spa']}`;
    expect(names((await list(admin, range)).body)).toEqual(['Ácme Spa', 'Bolt Motors', 'Acme Bakery']);
    expect(names((await list(admin, `?updatedFrom=${t0}&stage=customer`)).body)).toEqual(['Zeta Pool Co', 'Acme Bakery']);
  });

  it('searches by name prefix ignoring case, accents and punctuation, sorted by name', async () => {
    expect(names((await list(admin, '?name=ACME')).body)).toEqual(['Acme Bakery', 'Ácme Spa', 'Acme Tools']);
    expect(names((await list(admin, `?name=${encodeURIComponent('acme-t')}`)).body)).toEqual(['Acme Tools']);
    expect(names((await list(admin, '?name=acme&stage=lead')).body)).toEqual(['Ácme Spa', 'Acme Tools']);
  });

  it('looks up an exact email or phone', async () => {
    expect(names((await list(admin, `?email=${encodeURIComponent(email.toUpperCase())}`)).body)).toEqual(['Acme Tools']);
    expect(names((await list(admin, `?phone=${encodeURIComponent('+49 (30) 555-0101')}`)).body)).toEqual(['Acme Bakery']);
    expect((await list(admin, `?email=${encodeURIComponent(uniqueEmail('nobody'))}`)).body).toEqual({ items: [], cursor: null });
    // A rep's lookup stays inside their book.
    expect((await list(rep2, `?email=${encodeURIComponent(email)}`)).body.items).toEqual([]);
  });

  it('moves a customer to the top and across stage lists when it is updated', async () => {
    const { body } = await list(admin, '?name=bolt');
    const bolt = body.items[0]!;
    await advance();
    const patched = await call('PATCH', `/customers/${bolt.id}`, { token: rep1, body: { lifecycleStage: 'customer' }, headers: { 'if-match': '"1"' } });
    expect(patched.status).toBe(200);
    expect(names((await list(admin, '?limit=1')).body)).toEqual(['Bolt Motors']);
    expect(names((await list(admin, '?stage=customer')).body)).toEqual(['Bolt Motors', 'Zeta Pool Co', 'Acme Bakery']);
    expect(names((await list(admin, '?stage=lead')).body)).toEqual(['Ácme Spa', 'Acme Tools']);
  });

  it('answers 400 naming the parameter, for every kind of bad input', async () => {
    for (const [query, path] of [
      ['?limit=0', 'query.limit'],
      ['?stage=prospect', 'query.stage'],
      ['?updatedFrom=yesterday', 'query.updatedFrom'],
      ['?email=nope', 'query.email'],
      ['?cursor=abc', 'query.cursor'],
      ['?sort=name', 'query.sort'],
    ] as const) {
      const res = await call<{ errors: { path: string }[] }>('GET', `/customers${query}`, { token: admin });
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e) => e.path), query).toContain(path);
    }
  });

  it('rejects a cursor from another list', async () => {
    const { body } = await list(admin, '?limit=1');
    const res = await list(admin, `?stage=lead&cursor=${body.cursor}`);
    expect(res.status).toBe(400);
  });
});

describe("GET /customers for a manager: their team's and the unowned", () => {
  it('lists and looks up only inside the team, whatever the filters', async () => {
    const tenant = newTenant();
    const north = await tokenFor(tenant, 'rep-n', ['rep'], 'north');
    const south = await tokenFor(tenant, 'rep-s', ['rep'], 'south');
    const admin = await tokenFor(tenant, 'boss', ['admin']);
    const southEmail = uniqueEmail('south');
    for (const [token, body] of [
      [north, { name: 'North One', lifecycleStage: 'lead' }],
      [south, { name: 'South One', lifecycleStage: 'lead', emails: [southEmail] }],
      [admin, { name: 'Unowned One', lifecycleStage: 'lead' }],
    ] as const) {
      await advance();
      expect((await call('POST', '/customers', { token, body })).status).toBe(201);
    }
    const manager = await tokenFor(tenant, 'mgr-n', ['manager'], 'north');
    const teamless = await tokenFor(tenant, 'mgr-x', ['manager']);

    expect(names((await list(manager)).body)).toEqual(['Unowned One', 'North One']);
    expect(names((await list(manager, '?stage=lead')).body)).toEqual(['Unowned One', 'North One']);
    expect(names((await list(manager, '?name=north')).body)).toEqual(['North One']);
    expect(names((await list(manager, '?name=south')).body)).toEqual([]);
    expect(names((await list(manager, '?owner=rep-s')).body)).toEqual([]);
    expect((await list(manager, `?email=${encodeURIComponent(southEmail)}`)).body.items).toEqual([]);
    expect(names((await list(teamless)).body)).toEqual(['Unowned One']);
    expect(names((await list(admin)).body)).toEqual(['Unowned One', 'South One', 'North One']);
  });
});
