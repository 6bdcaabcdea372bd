import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, stack, tokenFor } from '../client';
import { exportedFile, newImport, type Problem, ran, report, upload } from './import-helpers';

/**
 * Deals in and out as CSV (docs/integrations.md, "Deals"): an import writes each deal as POST
 * /deals would (customer facts, history, owner lists, forecast) and adds the board's counters
 * once per batch; the board must then say exactly what its columns hold. An export writes the
 * columns the import reads back.
 */

const STAGES = [
  { id: 'qualified', name: 'Qualified', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 50 },
  { id: 'negotiation', name: 'Negotiation', probability: 80 },
];

interface Column {
  key: string;
  count: number;
  amounts: Record<string, string>;
  deals: { id: string; name: string; amount: string }[];
}

async function salesTenant() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const manager = await tokenFor(tenant, 'manager-1', ['manager'], 'north');
  const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep'], 'north');
  expect((await call('PUT', '/users/rep-1', { token: admin, body: { email: 'rep-1@example.com', name: 'Rita Rep', teamId: 'north' } })).status).toBe(201);
  const pipeline = await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: STAGES } });
  expect(pipeline.status).toBe(201);
  const customer = async (body: Record<string, unknown>) => {
    const res = await call<{ id: string }>('POST', '/customers', { token: admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  return { tenant, admin, manager, marketer, rep, pipelineId: pipeline.body.id, customer };
}

async function board(token: string, pipelineId: string): Promise<Record<string, Column>> {
  const res = await call<{ columns: Column[] }>('GET', `/pipelines/${pipelineId}/board`, { token });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.columns.map((c) => [c.key, c]));
}

/** The customer's profile as stored: the deal facts the reclaim rules read are not in its view. */
async function profile(tenant: string, customerId: string): Promise<Record<string, unknown>> {
  const { Item } = await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: keys.customer(tenant, customerId) }));
  return Item ?? {};
}

describe('deal imports', () => {
  it('write deals of customers named by id, email or domain, open or closed, as POST /deals would; the board counts each once; duplicates and bad rows are reported by column', async () => {
    const { tenant, admin, manager, marketer, rep, pipelineId, customer } = await salesTenant();
    const acme = await customer({ kind: 'company', name: 'Acme', domain: 'acme-deals.example' });
    const bolt = await customer({ kind: 'person', name: 'Bo Bolt', emails: ['bo@bolt.example'] });
    const existing = await call<{ id: string }>('POST', '/deals', { token: admin, body: { customerId: acme, pipelineId, name: 'Existing', amount: '5.00', currency: 'EUR', expectedCloseDate: '2027-01-01' } });
    expect(existing.status).toBe(201);
    expect((await call('POST', '/imports', { token: marketer, body: { entity: 'deals' } })).status).toBe(403);
    expect((await call('POST', '/imports', { token: manager, body: { entity: 'deals' } })).status).toBe(201);

    const job = await newImport(admin, { entity: 'deals' });
    await upload(job, [
      'customerId,customerEmail,customerDomain,pipelineId,stageId,name,amount,currency,expectedCloseDate,ownerId,status,closedAt,closeReason',
      `${acme},,,${pipelineId},proposal,Big deal,1000.00,EUR,2027-03-31,rep-1@example.com,,,`,
      `,Bo@Bolt.example,,new business,Negotiation,Bolt renewal,250.5,eur,2027-04-30,,won,2026-11-02,`,
      `,,www.acme-deals.example,${pipelineId},,Lost one,70,EUR,2026-10-31,,Lost,,No budget`,
      `${acme},,,${pipelineId},,existing,1,EUR,2027-01-01,,,,`,
      `${acme},,,${pipelineId},,BIG DEAL,1,EUR,2027-01-01,,,,`,
      `NOPE1,,,${pipelineId},,X,1,EUR,2027-01-01,,,,`,
      `${acme},,,Nowhere,,X,1,EUR,2027-01-01,,,,`,
      `${acme},,,${pipelineId},closing,X,1,EUR,2027-01-01,,,,`,
      `${acme},,,${pipelineId},,Y,1.234,EUR,2027-01-01,,,,`,
      `${acme},,,${pipelineId},,Z,1,EUR,2027-01-01,,lost,,`,
      `${acme},,,${pipelineId},,W,1,EUR,2027-01-01,ghost@example.com,,,`,
      `${acme},,,${pipelineId},,V,1,EUR,2027-01-01,,won,2099-01-01,`,
    ].join('\n'));
    const dry = await ran(admin, job, { dryRun: true });
    expect(dry).toMatchObject({ status: 'validated', rows: 12, created: 3, skipped: 2, failed: 7 });
    expect((await board(admin, pipelineId)).proposal).toMatchObject({ count: 0 });

    const done = await ran(admin, job);
    expect(done).toMatchObject({ status: 'completed', rows: 12, created: 3, written: 3, skipped: 2, failed: 7 });
    const rows = await report(done);
    expect(rows.map((r) => [r.row, r.outcome, r.errors!.split(':')[0]])).toEqual([
      ['4', 'skipped', '(row)'],
      ['5', 'skipped', '(row)'],
      ['6', 'failed', 'customerId'],
      ['7', 'failed', 'pipelineId'],
      ['8', 'failed', 'stageId'],
      ['9', 'failed', 'amount'],
      ['10', 'failed', 'closeReason'],
      ['11', 'failed', 'ownerId'],
      ['12', 'failed', 'closedAt'],
    ]);
    expect(rows[0]).toMatchObject({ existingId: existing.body.id, existingOwnerId: 'admin-1' });

    // The board's counters say what its columns hold: the API's deal and the import's, each once.
    const columns = await board(admin, pipelineId);
    expect(columns.qualified).toMatchObject({ count: 1, amounts: { EUR: '5.00' } });
    expect(columns.proposal).toMatchObject({ count: 1, amounts: { EUR: '1000.00' } });
    expect(columns.won).toMatchObject({ count: 1, amounts: { EUR: '250.50' } });
    expect(columns.lost).toMatchObject({ count: 1, amounts: { EUR: '70.00' } });
    for (const column of Object.values(columns)) expect(column.deals).toHaveLength(column.count);

    // The rep owns the deal the file gave them, and lists it; the forecast of November counts the win.
    const mine = await call<{ items: { name: string; stageId: string; ownerId: string }[] }>('GET', '/deals?owner=me', { token: rep });
    expect(mine.body.items).toEqual([expect.objectContaining({ name: 'Big deal', stageId: 'proposal', ownerId: 'rep-1' })]);
    const won = await call<{ items: { name: string; closedAt: string; closeReason: string | null }[] }>('GET', `/deals?pipelineId=${pipelineId}&status=won`, { token: admin });
    expect(won.body.items).toEqual([expect.objectContaining({ name: 'Bolt renewal', closedAt: '2026-11-02T00:00:00.000Z' })]);
    const lost = await call<{ items: { closedAt: string; closeReason: string }[] }>('GET', `/deals?pipelineId=${pipelineId}&status=lost`, { token: admin });
    expect(lost.body.items).toEqual([expect.objectContaining({ closedAt: '2026-10-31T00:00:00.000Z', closeReason: 'No budget' })]);
    const forecast = await call<{ total: { won: Record<string, string> } }>('GET', '/forecast?period=2026-11', { token: admin });
    expect(forecast.status).toBe(200);
    expect(forecast.body.total.won).toEqual({ EUR: '250.50' });

    // The customers' deal facts moved as the deals say: a win makes Bo a customer, dated when it closed.
    expect(await profile(tenant, acme)).toMatchObject({ openDeals: 2, lastOpenDealAt: '2026-10-31T00:00:00.000Z' });
    expect(await profile(tenant, bolt)).toMatchObject({ lifecycleStage: 'customer', lastWonDealAt: '2026-11-02T00:00:00.000Z', lastOpenDealAt: '2026-11-02T00:00:00.000Z' });

    // Once it wrote, the import takes no dry run, and a finished one no run.
    const again = await call<Problem>('POST', `/imports/${job.id}/run`, { token: admin, body: {} });
    expect(again.status).toBe(409);
  });

  it('go round an export and an import: the file has the columns the import reads, and imported into the same tenant each row is its deal (a duplicate)', async () => {
    const { admin, rep, pipelineId, customer } = await salesTenant();
    const acme = await customer({ kind: 'company', name: 'Acme RT' });
    const job = await newImport(admin, { entity: 'deals' });
    await upload(job, [
      'customerId,pipelineId,stageId,name,amount,currency,expectedCloseDate,ownerId,status,closedAt,closeReason',
      `${acme},${pipelineId},negotiation,"=Formula, ""quoted""",1234.50,USD,2027-05-31,rep-1,,,`,
      `${acme},${pipelineId},proposal,Lost one,70.00,EUR,2026-10-31,,lost,2026-10-15T09:30:00Z,Went elsewhere`,
    ].join('\n'));
    expect(await ran(admin, job)).toMatchObject({ status: 'completed', created: 2, failed: 0 });

    const file = await exportedFile(admin, 'deals', 2);
    const exported = (parse(file, { bom: true, columns: true }) as Record<string, string>[]).sort((a, b) => a.status!.localeCompare(b.status!));
    expect(Object.keys(exported[0]!)).toEqual(['id', 'customerId', 'pipelineId', 'stageId', 'name', 'amount', 'currency', 'expectedCloseDate', 'ownerId', 'status', 'closedAt', 'closeReason']);
    expect(exported.map(({ id: _id, ...cells }) => cells)).toEqual([
      { customerId: acme, pipelineId, stageId: 'proposal', name: 'Lost one', amount: '70.00', currency: 'EUR', expectedCloseDate: '2026-10-31', ownerId: 'admin-1', status: 'lost', closedAt: '2026-10-15T09:30:00.000Z', closeReason: 'Went elsewhere' },
      { customerId: acme, pipelineId, stageId: 'negotiation', name: `'=Formula, "quoted"`, amount: '1234.50', currency: 'USD', expectedCloseDate: '2027-05-31', ownerId: 'rep-1', status: 'open', closedAt: '', closeReason: '' },
    ]);
    // A rep's export holds their own deals only (as GET /deals lists them).
    expect(parse(await exportedFile(rep, 'deals', 1), { bom: true, columns: true })).toEqual([expect.objectContaining({ ownerId: 'rep-1', name: `'=Formula, "quoted"` })]);

    const back = await newImport(admin, { entity: 'deals', options: { onDuplicate: 'report' } });
    await upload(back, file);
    const done = await ran(admin, back);
    expect(done).toMatchObject({ status: 'completed', rows: 2, created: 0, failed: 2 });
    expect((await report(done)).map((r) => r.existingId).sort()).toEqual(exported.map((d) => d.id).sort());
    const refused = await call<Problem>('POST', '/imports', { token: admin, body: { entity: 'deals', options: { onDuplicate: 'update' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((e) => e.path)).toEqual(['options.onDuplicate']);
  });
});
