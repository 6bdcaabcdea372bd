import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { newPipeline } from '../../../shared/pipelines/pipeline';
import { applyPipelinePatch, pipelinePatch, withoutRetiring } from '../../../shared/pipelines/pipeline-edit';
import { validationPaths } from '../validation-paths';

const admin: Caller = { userId: 'ada', tenantId: 't1', groups: ['admin'] };
const NOW = '2027-01-10T09:00:00.000Z';
const pipeline = newPipeline(
  { name: 'Sales', stages: [{ id: 'qualified', name: 'Q', probability: 10 }, { id: 'proposal', name: 'P', probability: 50 }, { id: 'negotiation', name: 'N', probability: 80 }] },
  admin, 'p1', '2027-01-01T00:00:00.000Z',
);
const none = new Map<string, number>();
const stages = (...ids: string[]) => ids.map((id) => ({ id, name: id.toUpperCase(), probability: 30 }));
const paths = validationPaths;

describe('editing a pipeline', () => {
  it('renames, reorders, adds and renames stages in one patch; version + 1; nothing changed keeps the version', () => {
    const { after, retiring } = applyPipelinePatch(pipeline, { name: 'New business', stages: [...stages('proposal', 'qualified', 'negotiation', 'signed')] }, none, admin, NOW);
    expect(after).toMatchObject({ name: 'New business', version: 2, updatedAt: NOW, updatedBy: 'ada', retiring: [] });
    expect(after.stages.map((s) => [s.id, s.name, s.forecastCategory])).toEqual([['proposal', 'PROPOSAL', 'pipeline'], ['qualified', 'QUALIFIED', 'pipeline'], ['negotiation', 'NEGOTIATION', 'pipeline'], ['signed', 'SIGNED', 'pipeline']]);
    expect(retiring).toEqual([]);
    expect(applyPipelinePatch(pipeline, {}, none, admin, NOW).after).toBe(pipeline);
    expect(applyPipelinePatch(pipeline, { name: 'Sales', stages: pipeline.stages }, none, admin, NOW).after).toBe(pipeline);
  });

  it('a removed stage without open deals goes at once; with open deals it needs moveDealsTo naming a stage of the new list', () => {
    expect(applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation') }, none, admin, NOW).after.stages.map((s) => s.id)).toEqual(['qualified', 'negotiation']);
    const counts = new Map([['proposal', 3]]);
    expect(paths(() => applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation') }, counts, admin, NOW))).toEqual(['moveDealsTo.proposal']);
    expect(paths(() => applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation'), moveDealsTo: { proposal: 'proposal' } }, counts, admin, NOW))).toEqual(['moveDealsTo.proposal']);
    expect(paths(() => applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation'), moveDealsTo: { proposal: 'lost' } }, counts, admin, NOW))).toEqual(['moveDealsTo.proposal']);
    expect(paths(() => applyPipelinePatch(pipeline, { stages: stages('qualified', 'proposal', 'negotiation'), moveDealsTo: { proposal: 'qualified' } }, none, admin, NOW))).toEqual(['moveDealsTo.proposal']);
    const { after, retiring } = applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation'), moveDealsTo: { proposal: 'negotiation' } }, counts, admin, NOW);
    expect(retiring).toEqual([{ ...pipeline.stages[1], moveTo: 'negotiation' }]);
    expect(after.retiring).toEqual(retiring);
    expect(after.stages.map((s) => s.id)).toEqual(['qualified', 'negotiation']);
    expect(withoutRetiring(after, 'proposal')).toMatchObject({ retiring: [], version: after.version });
  });

  it('a stage still retiring cannot be added again yet', () => {
    const { after } = applyPipelinePatch(pipeline, { stages: stages('qualified', 'negotiation'), moveDealsTo: { proposal: 'negotiation' } }, new Map([['proposal', 1]]), admin, NOW);
    expect(paths(() => applyPipelinePatch(after, { stages: stages('qualified', 'proposal', 'negotiation') }, none, admin, NOW))).toEqual(['stages.1.id']);
  });

  it('the body schema names bad fields: stage ids, duplicates, unknown fields, bad moveDealsTo keys', () => {
    const issues = (body: unknown) => (pipelinePatch.safeParse(body).error?.issues ?? []).map((i) => i.path.join('.'));
    expect(issues({ stages: stages('a', 'a') })).toEqual(['stages.1.id']);
    expect(issues({ stages: [] })).toEqual(['stages']);
    expect(issues({ stages: stages('Won') })).toEqual(['stages.0.id']);
    expect(issues({ moveDealsTo: { proposal: 7 } })).toEqual(['moveDealsTo.proposal']);
    expect(issues({ colour: 'red' })).toEqual(['']);
    expect(issues({ name: 'x', stages: stages('a'), moveDealsTo: { b: 'a' } })).toEqual([]);
  });
});
