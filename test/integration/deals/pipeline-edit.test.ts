import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DealRepository } from '../../../shared/deals/deal-repository';
import { BoardReader } from '../../../shared/pipelines/board-repository';
import { moveRetiringDeals, type PipelineEditDeps } from '../../../shared/pipelines/pipeline-edit-use-case';
import { PipelineRepository } from '../../../shared/pipelines/pipeline-repository';
import { call, newTenant, stack, tokenFor } from '../client';

// PATCH /pipelines/{id} on the local runtime (docs/pipeline.md, "Editing a pipeline"): stage
// edits with If-Match, removing a stage that moves its deals, and resuming a move that crashed.

interface Deal {
  id: string;
  stageId: string;
  status: string;
  amount: string;
  version: number;
}
interface Pipeline {
  id: string;
  name: string;
  stages: { id: string; name: string; probability: number }[];
  retiring: { id: string; moveTo: string }[];
  version: number;
}
interface Column {
  key: string;
  count: number;
  amounts: Record<string, string>;
  retiringInto: string | null;
}
type Problem = { slug?: string; errors?: { path: string }[]; currentVersion?: number };

const STAGES = [
  { id: 'qualified', name: 'Qualified', probability: 10 },
  { id: 'proposal', name: 'Proposal', probability: 50 },
  { id: 'negotiation', name: 'Negotiation', probability: 80 },
];

async function setup(deals: number) {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const ann = await tokenFor(tenant, 'ann', ['rep'], 'north');
  const created = await call<Pipeline>('POST', '/pipelines', { token: admin, body: { name: 'New business', stages: STAGES } });
  expect(created.status).toBe(201);
  const customer = await call<{ id: string }>('POST', '/customers', { token: ann, body: { name: 'Edit Corp', kind: 'company' } });
  const opened: Deal[] = [];
  for (let i = 0; i < deals; i++) {
    const res = await call<Deal>('POST', '/deals', {
      token: ann,
      body: { customerId: customer.body.id, pipelineId: created.body.id, stageId: 'proposal', name: `D${i}`, amount: `${10 * (i + 1)}.00`, currency: 'EUR', expectedCloseDate: `2027-03-${String(i + 1).padStart(2, '0')}` },
    });
    expect(res.status).toBe(201);
    opened.push(res.body);
  }
  return { tenant, admin, ann, pipeline: created.body, deals: opened };
}

const patch = (token: string, id: string, version: number | undefined, body: unknown) =>
  call<Pipeline & Problem>('PATCH', `/pipelines/${id}`, { token, body, contentType: 'application/merge-patch+json', headers: version === undefined ? {} : { 'if-match': `"${version}"` } });

async function board(token: string, pipelineId: string) {
  const res = await call<{ columns: Column[] }>('GET', `/pipelines/${pipelineId}/board`, { token });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.columns.map((c) => [c.key, { count: c.count, amounts: c.amounts, ...(c.retiringInto ? { retiringInto: c.retiringInto } : {}) }]));
}

async function history(token: string, dealId: string) {
  const res = await call<Deal & { stageHistory: { from: string | null; to: string }[] }>('GET', `/deals/${dealId}`, { token });
  return res.body;
}

describe('PATCH /pipelines/{id}', () => {
  it('renames, reorders, adds and renames stages with If-Match; a stale version is 412, none 428, a rep 403', async () => {
    const { admin, ann, pipeline } = await setup(1);
    const got = await call<Pipeline>('GET', `/pipelines/${pipeline.id}`, { token: ann });
    expect(got.headers.get('etag')).toBe('"1"');
    const stages = [{ id: 'negotiation', name: 'Negotiating', probability: 75 }, STAGES[0], STAGES[1], { id: 'signed', name: 'Signed', probability: 95 }];
    const res = await patch(admin, pipeline.id, 1, { name: 'Renamed', stages });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toMatchObject({ name: 'Renamed', version: 2, retiring: [] });
    expect(res.body.stages.map((s) => [s.id, s.name, s.probability])).toEqual([['negotiation', 'Negotiating', 75], ['qualified', 'Qualified', 10], ['proposal', 'Proposal', 50], ['signed', 'Signed', 95]]);
    expect(Object.keys(await board(admin, pipeline.id))).toEqual(['negotiation', 'qualified', 'proposal', 'signed', 'won', 'lost']);

    const stale = await patch(admin, pipeline.id, 1, { name: 'Again' });
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    expect((await patch(admin, pipeline.id, undefined, { name: 'Again' })).status).toBe(428);
    expect((await patch(ann, pipeline.id, 2, { name: 'Mine' })).status).toBe(403);
    const bad = await patch(admin, pipeline.id, 2, { stages: [STAGES[0], STAGES[0]] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors!.map((e) => e.path)).toEqual(['stages.1.id']);
  });

  it('removing a stage with deals needs moveDealsTo (400 naming it); with it, every deal moves once and the board adds up', async () => {
    const { admin, ann, pipeline, deals } = await setup(3);
    const without = await patch(admin, pipeline.id, 1, { stages: [STAGES[0], STAGES[2]] });
    expect(without.status).toBe(400);
    expect(without.headers.get('content-type')).toContain('application/problem+json');
    expect(without.body.errors!.map((e) => e.path)).toEqual(['moveDealsTo.proposal']);
    const wrongTarget = await patch(admin, pipeline.id, 1, { stages: [STAGES[0], STAGES[2]], moveDealsTo: { proposal: 'proposal' } });
    expect(wrongTarget.body.errors!.map((e) => e.path)).toEqual(['moveDealsTo.proposal']);

    // Removing an empty stage needs no target.
    const emptyGone = await patch(admin, pipeline.id, 1, { stages: [STAGES[1], STAGES[2]] });
    expect(emptyGone.status).toBe(200);
    const moved = await patch(admin, pipeline.id, 2, { stages: [STAGES[2]], moveDealsTo: { proposal: 'negotiation' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ version: 3, retiring: [] });
    expect(moved.body.stages.map((s) => s.id)).toEqual(['negotiation']);
    expect(await board(admin, pipeline.id)).toEqual({
      negotiation: { count: 3, amounts: { EUR: '60.00' } },
      won: { count: 0, amounts: {} },
      lost: { count: 0, amounts: {} },
    });
    for (const deal of deals) {
      const after = await history(ann, deal.id);
      expect(after).toMatchObject({ stageId: 'negotiation', version: 2 });
      expect(after.stageHistory.map((h) => [h.from, h.to])).toEqual([[null, 'proposal'], ['proposal', 'negotiation']]);
    }
    // The rep's list and board follow.
    const mine = await call<{ items: Deal[] }>('GET', `/deals?pipelineId=${pipeline.id}&stageId=negotiation`, { token: ann });
    expect(mine.body.items).toHaveLength(3);
  });

  it('a move that crashed half-way leaves the stage retiring with its column; resuming moves each deal once and the aggregates stay right', async () => {
    const { tenant, admin, ann, pipeline, deals } = await setup(5);
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack().dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const { tableName } = stack();
    const real = new DealRepository(db, tableName);
    let commits = 0;
    const crashing: PipelineEditDeps['deals'] = {
      tableName,
      commit: async (items) => {
        if (++commits === 3) throw new Error('injected crash before the third deal moved');
        return real.commit(items);
      },
    };
    const pipelines = new PipelineRepository(db, tableName);
    const reader = new BoardReader(db, tableName);
    const context = { actor: { type: 'user' as const, id: 'admin-1' }, correlationId: 'test-resume' };

    // The PATCH wrote the retiring stage; its moves crash at the third deal (as a Lambda dying mid-request would).
    const stored = (await pipelines.get(tenant, pipeline.id, true))!;
    const retiringPipeline = { ...stored, stages: [STAGES[0]!, STAGES[2]!].map((s) => ({ ...s, forecastCategory: stored.stages.find((x) => x.id === s.id)!.forecastCategory })), retiring: [{ ...stored.stages[1]!, moveTo: 'qualified' }], version: 2 };
    expect((await pipelines.put(retiringPipeline, 1)).written).toBe(true);
    await expect(moveRetiringDeals({ pipelines, board: reader, deals: crashing }, tenant, pipeline.id, context)).rejects.toThrow('injected crash');

    const half = await board(admin, pipeline.id);
    expect(half).toEqual({
      qualified: { count: 2, amounts: { EUR: '30.00' } },
      negotiation: { count: 0, amounts: {} },
      proposal: { count: 3, amounts: { EUR: '120.00' }, retiringInto: 'qualified' },
      won: { count: 0, amounts: {} },
      lost: { count: 0, amounts: {} },
    });
    const current = await call<Pipeline>('GET', `/pipelines/${pipeline.id}`, { token: admin });
    expect(current.body.retiring.map((s) => [s.id, s.moveTo])).toEqual([['proposal', 'qualified']]);
    // `{}` resumes the move (any PATCH finishes earlier moves before its own change); the version stays.
    const resumed = await patch(admin, pipeline.id, 2, {});
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200);
    expect(resumed.body).toMatchObject({ retiring: [], version: 2 });
    // Running the move again (a redelivered job) finds nothing left to do.
    await moveRetiringDeals({ pipelines, board: reader, deals: real }, tenant, pipeline.id, context);
    expect(await board(admin, pipeline.id)).toEqual({
      qualified: { count: 5, amounts: { EUR: '150.00' } },
      negotiation: { count: 0, amounts: {} },
      won: { count: 0, amounts: {} },
      lost: { count: 0, amounts: {} },
    });
    for (const deal of deals) {
      const after = await history(ann, deal.id);
      expect(after).toMatchObject({ stageId: 'qualified', version: 2 });
      expect(after.stageHistory.filter((h) => h.from === 'proposal')).toHaveLength(1);
    }
    expect((await patch(admin, pipeline.id, 2, { name: 'Later' })).status).toBe(200);
  });

  it('a won deal keeps the removed stage it was closed from; reopening it needs a stageId', async () => {
    const { admin, ann, pipeline, deals } = await setup(1);
    const won = await call<Deal>('PATCH', `/deals/${deals[0]!.id}`, { token: ann, body: { status: 'won' }, contentType: 'application/merge-patch+json', headers: { 'if-match': '"1"' } });
    expect(won.status).toBe(200);
    expect((await patch(admin, pipeline.id, 1, { stages: [STAGES[0], STAGES[2]] })).status).toBe(200);
    const reopen = await call<Problem>('PATCH', `/deals/${deals[0]!.id}`, { token: ann, body: { status: 'open' }, contentType: 'application/merge-patch+json', headers: { 'if-match': '"2"' } });
    expect(reopen.status).toBe(400);
    expect(reopen.body.errors!.map((e) => e.path)).toEqual(['stageId']);
    const into = await call<Deal>('PATCH', `/deals/${deals[0]!.id}`, { token: ann, body: { status: 'open', stageId: 'negotiation' }, contentType: 'application/merge-patch+json', headers: { 'if-match': '"2"' } });
    expect(into.status).toBe(200);
    expect(into.body.stageId).toBe('negotiation');
  });
});
