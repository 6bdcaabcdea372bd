import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor } from '../client';

// Pipelines, deals, the board and the forecast on the local runtime (docs/pipeline.md). Every test
// works in a tenant of its own; the numbers below are computed by hand from the deals each creates.

interface Deal {
  id: string;
  customerId: string;
  stageId: string;
  status: string;
  amount: string;
  currency: string;
  version: number;
  closedAt: string | null;
}
interface Column {
  key: string;
  count: number;
  amounts: Record<string, string>;
  weighted: Record<string, string>;
  deals: Deal[];
  cursor?: string | null;
}

const STAGES = [
  { id: 'qualified', name: 'Qualified', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 50, forecastCategory: 'bestCase' },
  { id: 'negotiation', name: 'Negotiation', probability: 80 },
];

async function setup() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const ann = await tokenFor(tenant, 'ann', ['rep'], 'north');
  const bob = await tokenFor(tenant, 'bob', ['rep'], 'south');
  const pipeline = await call<{ id: string; stages: { id: string; forecastCategory: string }[] }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: STAGES } });
  expect(pipeline.status).toBe(201);
  return { tenant, admin, ann, bob, pipelineId: pipeline.body.id, stages: pipeline.body.stages };
}

async function customer(token: string, name: string): Promise<string> {
  const res = await call<{ id: string }>('POST', '/customers', { token, body: { name, kind: 'company' } });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function openDeal(token: string, body: Record<string, unknown>): Promise<Deal> {
  const res = await call<Deal>('POST', '/deals', { token, body: { name: 'Deal', expectedCloseDate: '2027-02-15', currency: 'EUR', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function patchDeal(token: string, deal: Pick<Deal, 'id' | 'version'>, body: Record<string, unknown>) {
  return call<Deal & { errors?: { path: string }[]; slug?: string }>('PATCH', `/deals/${deal.id}`, { token, body, contentType: 'application/merge-patch+json', headers: { 'if-match': `"${deal.version}"` } });
}

describe('pipelines', () => {
  it('are created by admins with ordered stages and forecast categories; a stage id used twice is a 400 naming it', async () => {
    const { tenant, admin, stages } = await setup();
    expect(stages.map((s) => s.forecastCategory)).toEqual(['pipeline', 'bestCase', 'commit']);
    const twice = await call<{ errors: { path: string }[] }>('POST', '/pipelines', { token: admin, body: { name: 'x', stages: [STAGES[0], STAGES[0]] } });
    expect(twice.status).toBe(400);
    expect(twice.body.errors.map((e) => e.path)).toContain('stages.1.id');
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    expect((await call('POST', '/pipelines', { token: rep, body: { name: 'Mine', stages: STAGES } })).status).toBe(403);
    expect((await call<{ items: unknown[] }>('GET', '/pipelines', { token: rep })).body.items).toHaveLength(1);
  });
});

describe('deals', () => {
  it('move only to stages of their pipeline, with If-Match, history, events; lost needs a reason; closed deals change only by reopening', async () => {
    const { ann, pipelineId } = await setup();
    const customerId = await customer(ann, 'Acme Stage Tests');
    const bad = await call<{ errors: { path: string }[] }>('POST', '/deals', { token: ann, body: { customerId, pipelineId, stageId: 'won', name: 'x', amount: '1', currency: 'EUR', expectedCloseDate: '2027-01-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]!.path).toBe('stageId');
    expect((await call<{ errors: { path: string }[] }>('POST', '/deals', { token: ann, body: { customerId, pipelineId, name: 'x', amount: '1.234', currency: 'EUR', expectedCloseDate: '2027-01-01' } })).body.errors[0]!.path).toBe('amount');

    const deal = await openDeal(ann, { customerId, pipelineId, amount: '1000.10' });
    expect(deal).toMatchObject({ stageId: 'qualified', status: 'open', amount: '1000.10', version: 1 });

    const elsewhere = await patchDeal(ann, deal, { stageId: 'closing' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors![0]!.path).toBe('stageId');
    const unconditional = await call<{ detail: string }>('PATCH', `/deals/${deal.id}`, { token: ann, body: { stageId: 'proposal' } });
    expect([unconditional.status, unconditional.body.detail]).toEqual([428, 'Send If-Match with the ETag of the deal version you edited']);

    const moved = await patchDeal(ann, deal, { stageId: 'proposal' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ stageId: 'proposal', version: 2 });
    expect((await patchDeal(ann, deal, { stageId: 'negotiation' })).status).toBe(412);

    expect((await patchDeal(ann, moved.body, { status: 'lost' })).body.errors![0]!.path).toBe('reason');
    const lost = await patchDeal(ann, moved.body, { status: 'lost', reason: 'Went with a competitor' });
    expect(lost.body).toMatchObject({ status: 'lost', closeReason: 'Went with a competitor', stageId: 'proposal' });
    const closed = await patchDeal(ann, lost.body, { stageId: 'negotiation' });
    expect(closed.status).toBe(409);
    expect(closed.body.slug ?? (closed.body as { type?: string }).type).toContain('deal-closed');

    const reopened = await patchDeal(ann, lost.body, { status: 'open', stageId: 'negotiation' });
    expect(reopened.body).toMatchObject({ status: 'open', stageId: 'negotiation', closeReason: null, closedAt: null });
    const won = await patchDeal(ann, reopened.body, { status: 'won' });
    expect(won.body.status).toBe('won');

    const read = await call<Deal & { stageHistory: { from: string | null; to: string }[] }>('GET', `/deals/${deal.id}`, { token: ann });
    expect(read.headers.get('etag')).toBe(`"${won.body.version}"`);
    expect(read.body.stageHistory.map((h) => `${h.from}->${h.to}`)).toEqual(['null->qualified', 'qualified->proposal', 'proposal->lost', 'lost->negotiation', 'negotiation->won']);

    // The win made the lead a customer, with the customer's own stage event, in the same transaction.
    const profile = await call<{ lifecycleStage: string }>('GET', `/customers/${customerId}`, { token: ann });
    expect(profile.body.lifecycleStage).toBe('customer');
    await settle();
    const events = (await call<{ events: { event: { 'detail-type': string; detail: { data?: Record<string, unknown> } } }[] }>('GET', '/_local/events')).body.events
      .map((e) => e.event)
      .filter((e) => e.detail.data?.dealId === deal.id || (e.detail.data?.customerId === customerId && e['detail-type'] === 'crm.customer.stage-changed.v1'));
    expect(events.map((e) => e['detail-type'])).toEqual(
      expect.arrayContaining(['crm.deal.created.v1', 'crm.deal.stage-changed.v1', 'crm.deal.lost.v1', 'crm.deal.won.v1', 'crm.customer.stage-changed.v1']),
    );
    expect(events.find((e) => e['detail-type'] === 'crm.customer.stage-changed.v1')!.detail.data).toMatchObject({ from: 'lead', to: 'customer' });

    // The 360 view lists the customer's deals.
    const view = await call<{ deals: Deal[] }>('GET', `/customers/${customerId}/360`, { token: ann });
    expect(view.body.deals).toEqual([expect.objectContaining({ id: deal.id, status: 'won', amount: '1000.10' })]);
  });

  it('follow the customer\'s access plus the deal owner: another rep neither reads nor changes them', async () => {
    const { ann, bob, pipelineId } = await setup();
    const customerId = await customer(ann, 'Private Co');
    const deal = await openDeal(ann, { customerId, pipelineId, amount: '5' });
    expect((await call('GET', `/deals/${deal.id}`, { token: bob })).status).toBe(404);
    expect((await patchDeal(bob, deal, { stageId: 'proposal' })).status).toBe(404);
    const forBob = await call<{ errors: { path: string }[] }>('POST', '/deals', { token: bob, body: { customerId, pipelineId, name: 'x', amount: '1', currency: 'EUR', expectedCloseDate: '2027-01-01' } });
    expect(forBob.status).toBe(400);
    expect(forBob.body.errors[0]!.path).toBe('customerId');
  });
});

describe('board and forecast', () => {
  it('add up counts, sums per currency and weighted amounts exactly as computed by hand', async () => {
    const { tenant, admin, ann, bob, pipelineId } = await setup();
    const acme = await customer(ann, 'Acme Board');
    const bolt = await customer(bob, 'Bolt Board');
    // The deal won now counts in the month it is won; the open deals are set to close in that month.
    const winner = await openDeal(ann, { customerId: acme, pipelineId, amount: '300.00', stageId: 'negotiation' });
    const won = (await patchDeal(ann, winner, { status: 'won', reason: 'Signed' })).body;
    const month = won.closedAt!.slice(0, 7);
    const closes = `${month}-15`;
    await openDeal(ann, { customerId: acme, pipelineId, amount: '100.10', expectedCloseDate: closes }); // qualified 10 %
    await openDeal(ann, { customerId: acme, pipelineId, amount: '200.05', stageId: 'proposal', expectedCloseDate: closes }); // proposal 50 %
    await openDeal(bob, { customerId: bolt, pipelineId, amount: '1000.00', stageId: 'negotiation', expectedCloseDate: closes }); // 80 %
    await openDeal(bob, { customerId: bolt, pipelineId, amount: '50.00', currency: 'USD', stageId: 'proposal', expectedCloseDate: closes });
    const moving = await openDeal(bob, { customerId: bolt, pipelineId, amount: '400.00', expectedCloseDate: '2099-01-01' });
    await patchDeal(bob, moving, { stageId: 'negotiation', amount: '450.00' });
    const loser = await openDeal(bob, { customerId: bolt, pipelineId, amount: '70.00', expectedCloseDate: closes });
    await patchDeal(bob, loser, { status: 'lost', reason: 'No budget' });

    const board = await call<{ columns: Column[] }>('GET', `/pipelines/${pipelineId}/board`, { token: admin });
    expect(board.status).toBe(200);
    const byKey = Object.fromEntries(board.body.columns.map((c) => [c.key, c]));
    expect(board.body.columns.map((c) => c.key)).toEqual(['qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(byKey.qualified).toMatchObject({ count: 1, amounts: { EUR: '100.10' }, weighted: { EUR: '10.01' } });
    // 200.05 x 50 % = 100.025 -> 100.03 (half up, once); 50 USD x 50 % = 25.
    expect(byKey.proposal).toMatchObject({ count: 2, amounts: { EUR: '200.05', USD: '50.00' }, weighted: { EUR: '100.03', USD: '25.00' } });
    expect(byKey.negotiation).toMatchObject({ count: 2, amounts: { EUR: '1450.00' }, weighted: { EUR: '1160.00' } });
    expect(byKey.won).toMatchObject({ count: 1, amounts: { EUR: '300.00' } });
    expect(byKey.lost).toMatchObject({ count: 1, amounts: { EUR: '70.00' } });
    expect(byKey.negotiation!.deals.map((d) => d.amount)).toEqual(['1000.00', '450.00']);
    const page = await call<{ columns: Column[] }>('GET', `/pipelines/${pipelineId}/board?column=negotiation&limit=1`, { token: admin });
    expect(page.body.columns).toHaveLength(1);
    expect(page.body.columns[0]!.deals).toHaveLength(1);

    // A rep reads the board of their own deals (with or without owner=me), never another's.
    type Board = { owner: string | null; complete: boolean; columns: Column[] };
    const summary = (b: Board) => Object.fromEntries(b.columns.map((c) => [c.key, { count: c.count, amounts: c.amounts, deals: c.deals.map((d) => d.amount) }]));
    const annBoard = await call<Board>('GET', `/pipelines/${pipelineId}/board`, { token: ann });
    expect(annBoard.status).toBe(200);
    expect(annBoard.body).toMatchObject({ owner: 'ann', complete: true });
    expect(summary(annBoard.body)).toEqual({
      qualified: { count: 1, amounts: { EUR: '100.10' }, deals: ['100.10'] },
      proposal: { count: 1, amounts: { EUR: '200.05' }, deals: ['200.05'] },
      negotiation: { count: 0, amounts: {}, deals: [] },
      won: { count: 1, amounts: { EUR: '300.00' }, deals: ['300.00'] },
      lost: { count: 0, amounts: {}, deals: [] },
    });
    expect(annBoard.body.columns.find((c) => c.key === 'proposal')!.weighted).toEqual({ EUR: '100.03' });
    expect(summary((await call<Board>('GET', `/pipelines/${pipelineId}/board?owner=me`, { token: ann })).body)).toEqual(summary(annBoard.body));
    const notMine = await call<{ slug: string }>('GET', `/pipelines/${pipelineId}/board?owner=bob`, { token: ann });
    expect(notMine.status).toBe(403);
    // An admin (or a manager within the team) reads one owner's board; the owners' boards add up to the whole board.
    const bobBoard = await call<Board>('GET', `/pipelines/${pipelineId}/board?owner=bob&limit=1`, { token: admin });
    expect(summary(bobBoard.body)).toEqual({
      qualified: { count: 0, amounts: {}, deals: [] },
      proposal: { count: 1, amounts: { USD: '50.00' }, deals: ['50.00'] },
      negotiation: { count: 2, amounts: { EUR: '1450.00' }, deals: ['1000.00'] },
      won: { count: 0, amounts: {}, deals: [] },
      lost: { count: 1, amounts: { EUR: '70.00' }, deals: ['70.00'] },
    });
    expect(bobBoard.body.columns.every((c) => c.cursor === null)).toBe(true);
    const mia = await tokenFor(tenant, 'mia', ['manager'], 'north');
    expect(summary((await call<Board>('GET', `/pipelines/${pipelineId}/board?owner=ann`, { token: mia })).body)).toEqual(summary(annBoard.body));
    expect((await call<Board>('GET', `/pipelines/${pipelineId}/board?owner=bob`, { token: mia })).body.columns.map((c) => c.count)).toEqual([0, 0, 0, 0, 0]);
    expect((await call<Board>('GET', `/pipelines/${pipelineId}/board`, { token: mia })).body.owner).toBeNull();
    expect((await call<{ errors: { path: string }[] }>('GET', `/pipelines/${pipelineId}/board?cursor=abc`, { token: ann })).body.errors[0]!.path).toBe('query.cursor');
    expect((await call<{ errors: { path: string }[] }>('GET', `/pipelines/${pipelineId}/board?owner=a%23b`, { token: admin })).body.errors[0]!.path).toBe('query.owner');
    // An owner's board is the pipeline read and one Query per status.
    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');
    await call('GET', `/pipelines/${pipelineId}/board`, { token: ann });
    const { operations } = (await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests')).body;
    expect(Object.fromEntries(Object.entries(operations).map(([op, c]) => [op, c.requests]))).toEqual({ GetItem: 1, Query: 3 });

    const byOwner = await call<{ rows: Record<string, unknown>[]; total: Record<string, unknown> }>('GET', `/forecast?period=${month}&by=owner`, { token: admin });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body.rows).toEqual([
      { ownerId: 'ann', ownerName: null, deals: 3, won: { EUR: '300.00' }, pipeline: { EUR: '300.15' }, weighted: { EUR: '110.04' }, commit: {}, bestCase: { EUR: '200.05' } },
      { ownerId: 'bob', ownerName: null, deals: 2, won: {}, pipeline: { EUR: '1000.00', USD: '50.00' }, weighted: { EUR: '800.00', USD: '25.00' }, commit: { EUR: '1000.00' }, bestCase: { EUR: '1000.00', USD: '50.00' } },
    ]);
    expect(byOwner.body.total).toEqual({ deals: 5, won: { EUR: '300.00' }, pipeline: { EUR: '1300.15', USD: '50.00' }, weighted: { EUR: '910.04', USD: '25.00' }, commit: { EUR: '1000.00' }, bestCase: { EUR: '1200.05', USD: '50.00' } });
    const byTeam = await call<{ rows: { teamId: string }[] }>('GET', `/forecast?period=${month}&by=team`, { token: admin });
    expect(byTeam.body.rows.map((r) => r.teamId)).toEqual(['north', 'south']);
    // A rep sees only their own deals.
    const mine = await call<{ rows: { ownerId: string }[] }>('GET', `/forecast?period=${month}`, { token: ann });
    expect(mine.body.rows.map((r) => r.ownerId)).toEqual(['ann']);
    expect((await call<{ errors: { path: string }[] }>('GET', '/forecast?period=2027-Q5', { token: admin })).body.errors[0]!.path).toBe('query.period');
  });
});
