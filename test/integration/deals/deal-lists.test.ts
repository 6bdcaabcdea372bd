import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor } from '../client';

// GET /deals on the local runtime (docs/pipeline.md, "Deal lists"): per filter, paging, who sees
// what, and one DynamoDB Query per page whatever the filters.

interface Deal {
  id: string;
  customerId: string;
  stageId: string;
  status: string;
  ownerId: string;
  expectedCloseDate: string;
  version: number;
}
interface Page {
  items: Deal[];
  cursor: string | null;
}

const STAGES = [
  { id: 'qualified', name: 'Qualified', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 50 },
];

async function customer(token: string, name: string): Promise<string> {
  const res = await call<{ id: string }>('POST', '/customers', { token, body: { name, kind: 'company' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function openDeal(token: string, body: Record<string, unknown>): Promise<Deal> {
  const res = await call<Deal>('POST', '/deals', { token, body: { name: 'Deal', amount: '100', currency: 'EUR', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function patchDeal(token: string, deal: Pick<Deal, 'id' | 'version'>, body: Record<string, unknown>): Promise<Deal> {
  const res = await call<Deal>('PATCH', `/deals/${deal.id}`, { token, body, contentType: 'application/merge-patch+json', headers: { 'if-match': `"${deal.version}"` } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const list = (token: string, query: string) => call<Page & { errors?: { path: string }[] }>('GET', `/deals${query}`, { token });
const ids = (page: Page) => page.items.map((d) => d.id);

/** Every page of a list, following cursors. */
async function all(token: string, query: string): Promise<Deal[]> {
  const deals: Deal[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(token, `${query}${query ? '&' : '?'}${cursor ? `cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    deals.push(...res.body.items);
    cursor = res.body.cursor;
  } while (cursor);
  return deals;
}

async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const mia = await tokenFor(tenant, 'mia', ['manager'], 'north');
  const ann = await tokenFor(tenant, 'ann', ['rep'], 'north');
  const bob = await tokenFor(tenant, 'bob', ['rep'], 'south');
  const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: STAGES } });
  const other = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'Renewals', stages: STAGES } });
  const pipelineId = pipeline.body.id;
  const annCustomer = await customer(ann, 'Ann Corp');
  const annOther = await customer(ann, 'Ann Two');
  const bobCustomer = await customer(bob, 'Bob Corp');
  // ann: five open deals in shuffled close-date order, one in the other pipeline; bob: two.
  const dates = ['2027-05-01', '2027-02-01', '2027-04-01', '2027-01-15', '2027-03-01'];
  const annDeals: Deal[] = [];
  for (const [i, date] of dates.entries()) {
    annDeals.push(await openDeal(ann, { customerId: i < 3 ? annCustomer : annOther, pipelineId, stageId: i % 2 ? 'proposal' : 'qualified', expectedCloseDate: date }));
  }
  const annRenewal = await openDeal(ann, { customerId: annCustomer, pipelineId: other.body.id, expectedCloseDate: '2027-01-01' });
  const bobDeals = [
    await openDeal(bob, { customerId: bobCustomer, pipelineId, stageId: 'proposal', expectedCloseDate: '2027-02-10' }),
    await openDeal(bob, { customerId: bobCustomer, pipelineId, expectedCloseDate: '2027-06-01' }),
  ];
  return { tenant, admin, mia, ann, bob, pipelineId, otherPipelineId: other.body.id, annCustomer, annOther, bobCustomer, annDeals, annRenewal, bobDeals };
}

const byClose = (deals: Deal[]) => [...deals].sort((a, b) => a.expectedCloseDate.localeCompare(b.expectedCloseDate) || a.id.localeCompare(b.id)).map((d) => d.id);

describe('GET /deals', () => {
  it("a rep lists their own open deals, soonest close first, page by page, one Query per page; another rep's deals are 403", async () => {
    const { ann, annDeals, annRenewal } = await setup();
    const expected = byClose([...annDeals, annRenewal]);

    const first = await list(ann, '?limit=2');
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(expected.slice(0, 2));
    expect(first.body.cursor).not.toBeNull();
    expect((await all(ann, '?limit=2')).map((d) => d.id)).toEqual(expected);
    expect((await all(ann, '?owner=me&limit=4')).map((d) => d.id)).toEqual(expected);
    expect((await all(ann, '?owner=ann')).map((d) => d.id)).toEqual(expected);

    const counts = async (query: string) => {
      await settle();
      await call('POST', '/_local/dynamodb-requests/reset');
      const res = await list(ann, query);
      expect(res.status).toBe(200);
      const { operations } = (await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests')).body;
      return Object.fromEntries(Object.entries(operations).map(([op, c]) => [op, c.requests]));
    };
    expect(await counts('?limit=2')).toEqual({ Query: 1 });
    expect(await counts(`?limit=2&cursor=${first.body.cursor}`)).toEqual({ Query: 1 });
    expect(await counts(`?status=won&pipelineId=${annDeals[0]!.id}&customerId=${annDeals[0]!.customerId}`)).toEqual({ Query: 1 });

    const other = await list(ann, '?owner=bob');
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('filters by status, pipeline, stage and customer, and follows every write: stage, close date, owner and status changes move the entry', async () => {
    const { admin, ann, bob, pipelineId, otherPipelineId, annCustomer, annDeals, annRenewal } = await setup();
    expect((await all(ann, `?pipelineId=${otherPipelineId}`)).map((d) => d.id)).toEqual([annRenewal.id]);
    expect((await all(ann, `?pipelineId=${pipelineId}&stageId=proposal`)).map((d) => d.id)).toEqual(byClose([annDeals[1]!, annDeals[3]!]));
    expect((await all(ann, `?customerId=${annCustomer}&limit=1`)).map((d) => d.id)).toEqual(byClose([annDeals[0]!, annDeals[1]!, annDeals[2]!, annRenewal]));
    expect(await all(ann, '?status=won')).toEqual([]);

    // Moves: stage, close date, won, lost, owner.
    const moved = await patchDeal(ann, annDeals[0]!, { stageId: 'proposal', expectedCloseDate: '2026-12-01' });
    expect((await all(ann, `?pipelineId=${pipelineId}&stageId=proposal`)).map((d) => d.id)).toEqual([moved.id, ...byClose([annDeals[1]!, annDeals[3]!])]);
    const won = await patchDeal(ann, annDeals[1]!, { status: 'won' });
    await patchDeal(ann, annDeals[2]!, { status: 'lost', reason: 'price' });
    expect((await all(ann, '?status=won')).map((d) => d.id)).toEqual([won.id]);
    expect((await all(ann, `?status=lost&pipelineId=${pipelineId}`)).map((d) => d.id)).toEqual([annDeals[2]!.id]);
    expect((await all(ann, '')).map((d) => d.id)).toEqual(byClose([moved, annDeals[3]!, annDeals[4]!, annRenewal]));

    await patchDeal(admin, annDeals[4]!, { ownerId: 'bob' });
    expect((await all(ann, '')).map((d) => d.id)).not.toContain(annDeals[4]!.id);
    expect((await all(bob, '')).map((d) => d.id)).toContain(annDeals[4]!.id);
  });

  it("a manager lists their team's deals and their own; admins list everyone's, per column, customer or the tenant", async () => {
    const { admin, mia, pipelineId, bobCustomer, annDeals, annRenewal, bobDeals } = await setup();
    const miaCustomer = await customer(admin, 'Mia Corp');
    const miaDeal = await openDeal(mia, { customerId: miaCustomer, pipelineId, expectedCloseDate: '2027-07-01' });

    expect((await all(mia, '?limit=3')).map((d) => d.id)).toEqual(byClose([...annDeals, annRenewal, miaDeal]));
    expect((await all(mia, '?owner=ann')).map((d) => d.id)).toEqual(byClose([...annDeals, annRenewal]));
    expect(await all(mia, '?owner=bob')).toEqual([]);
    expect(await all(mia, `?customerId=${bobCustomer}`)).toEqual([]);

    expect((await all(admin, '?limit=3')).map((d) => d.id)).toEqual(byClose([...annDeals, annRenewal, ...bobDeals, miaDeal]));
    expect((await all(admin, '?owner=bob')).map((d) => d.id)).toEqual(byClose(bobDeals));
    expect((await all(admin, `?customerId=${bobCustomer}`)).map((d) => d.id).sort()).toEqual(bobDeals.map((d) => d.id).sort());
    expect((await all(admin, `?pipelineId=${pipelineId}&stageId=proposal`)).map((d) => d.id)).toEqual(byClose([annDeals[1]!, annDeals[3]!, bobDeals[0]!]));
    expect((await all(mia, `?pipelineId=${pipelineId}&stageId=proposal`)).map((d) => d.id)).toEqual(byClose([annDeals[1]!, annDeals[3]!]));
  });

  it('bad input is a 400 problem naming the parameter, never a 500', async () => {
    const { admin, ann } = await setup();
    const cases: [string, string][] = [
      ['?status=lost', 'query.status'],
      ['?status=maybe', 'query.status'],
      ['?stageId=proposal', 'query.pipelineId'],
      ['?limit=0', 'query.limit'],
      ['?cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
      ['?customerId=%23x', 'query.customerId'],
    ];
    for (const [query, path] of cases) {
      const res = await list(admin, query);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors!.map((e) => e.path), query).toContain(path);
    }
    // A cursor of another list (ann's own) is refused on the tenant list.
    const page = await list(ann, '?limit=1');
    expect((await list(admin, `?cursor=${page.body.cursor}`)).status).toBe(400);
  });
});
