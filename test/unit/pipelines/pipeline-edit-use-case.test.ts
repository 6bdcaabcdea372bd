import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { newDeal } from '../../../shared/deals/deal';
import { StageMoveInProgress } from '../../../shared/deals/deal-errors';
import { StaleVersion } from '../../../shared/errors';
import { type Pipeline, newPipeline } from '../../../shared/pipelines/pipeline';
import { MOVES_PER_REQUEST, type PipelineEditDeps, updatePipeline } from '../../../shared/pipelines/pipeline-edit-use-case';

const admin: Caller = { userId: 'ada', tenantId: 't1', groups: ['admin'] };
const NOW = '2027-01-01T00:00:00.000Z';
const base = newPipeline({ name: 'S', stages: [{ id: 'qualified', name: 'Q', probability: 10 }, { id: 'proposal', name: 'P', probability: 50 }] }, admin, 'p1', NOW);
const retiring: Pipeline = { ...base, stages: [base.stages[0]!], retiring: [{ ...base.stages[1]!, moveTo: 'qualified' }], version: 2 };
const stuck = newDeal({ customerId: 'c1', pipelineId: 'p1', stageId: 'proposal', name: 'x', amount: '1', currency: 'EUR', expectedCloseDate: '2027-02-01' }, base, { id: 'ann', teamId: null }, admin, 'd1', NOW);

/** A pipeline whose retiring column never empties (every move loses its race): the request stops at its budget. */
function deps(stored: Pipeline) {
  const calls = { commits: 0, puts: 0 };
  const d: PipelineEditDeps = {
    pipelines: { get: async () => stored, put: async () => (calls.puts++, { written: true as const }) },
    board: { aggregates: async () => new Map(), columnPage: async () => ({ deals: [stuck], cursor: null }) },
    deals: { tableName: 'T', commit: async () => (calls.commits++, { ok: false as const, failed: 'deal' as const }) },
  };
  return { d, calls };
}

describe('PATCH /pipelines/{id} while a removed stage still has deals to move', () => {
  it('moves at most MOVES_PER_REQUEST deals a request; a change then waits (409), `{}` answers the pipeline still retiring', async () => {
    const { d, calls } = deps(retiring);
    await expect(updatePipeline(d, admin, 'p1', { name: 'Renamed' }, 2, 'c')).rejects.toThrow(StageMoveInProgress);
    expect(calls).toEqual({ commits: MOVES_PER_REQUEST, puts: 0 });
    const resumed = await updatePipeline(d, admin, 'p1', {}, 2, 'c');
    expect(resumed.retiring).toEqual(retiring.retiring);
  });

  it('a stale If-Match is a 412 before anything moves', async () => {
    const { d, calls } = deps(retiring);
    await expect(updatePipeline(d, admin, 'p1', {}, 1, 'c')).rejects.toThrow(StaleVersion);
    expect(calls.commits).toBe(0);
  });
});
