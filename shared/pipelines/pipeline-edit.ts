import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { text } from '../customers/fields';
import type { FieldError } from '../errors';
import { ValidationFailed } from '../errors';
import { defaultForecastCategory, type Pipeline, type RetiringStage, type Stage, stageIdInput, stagesInput } from './pipeline';

/**
 * PATCH /pipelines/{id} (docs/pipeline.md, "Editing a pipeline"): rename the pipeline; rename,
 * reorder, add and remove stages by sending the whole new stage list. A removed stage that still
 * holds open deals needs `moveDealsTo.<stageId>`: a stage of the new list its deals move to. Such a
 * stage is kept as `retiring` (off the board's stages) until every deal has moved. Pure rules only.
 */

/** Request body of PATCH /pipelines/{id} (with If-Match). */
export const pipelinePatch = z.strictObject({
  name: z.optional(text(100)),
  /** The whole new ordered list: ids kept are the same stages (renamed, reordered, new probability), new ids are added, missing ids removed. */
  stages: z.optional(stagesInput),
  /** Removed stage id -> the id (in `stages`) its open deals move to. */
  moveDealsTo: z.optional(z.record(stageIdInput, stageIdInput)),
});
export type PipelinePatch = z.output<typeof pipelinePatch>;

/** Open deals per stage id (the board aggregates' counts). */
export type OpenDealCounts = ReadonlyMap<string, number>;

/** The stages a patch removes (ids of the pipeline missing from the new list). */
export function removedStages(pipeline: Pipeline, patch: PipelinePatch): Stage[] {
  if (!patch.stages) return [];
  const kept = new Set(patch.stages.map((s) => s.id));
  return pipeline.stages.filter((s) => !kept.has(s.id));
}

/**
 * The pipeline after a patch, or a 400 naming each field: `moveDealsTo.<id>` for a removed stage
 * that still has open deals and no target, for a target that is not in the new list, and for an
 * entry whose stage the patch does not remove; `stages.<i>.id` for a stage still being retired.
 * A patch that changes nothing returns the pipeline as it was (same version).
 */
export function applyPipelinePatch(pipeline: Pipeline, patch: PipelinePatch, openDeals: OpenDealCounts, caller: Caller, nowIso: string): { after: Pipeline; retiring: RetiringStage[] } {
  const errors: FieldError[] = [];
  const removed = removedStages(pipeline, patch);
  const removedIds = new Set(removed.map((s) => s.id));
  const newIds = new Set((patch.stages ?? pipeline.stages).map((s) => s.id));
  const moves = patch.moveDealsTo ?? {};
  const stillRetiring = new Set((pipeline.retiring ?? []).map((s) => s.id));
  patch.stages?.forEach((stage, i) => {
    if (stillRetiring.has(stage.id) && !pipeline.stages.some((s) => s.id === stage.id)) {
      errors.push({ path: `stages.${i}.id`, message: `Stage ${stage.id} is still being retired; add it again once its deals have moved` });
    }
  });
  for (const [from, to] of Object.entries(moves)) {
    if (!removedIds.has(from)) errors.push({ path: `moveDealsTo.${from}`, message: `${from} is not a stage this patch removes` });
    else if (!newIds.has(to)) errors.push({ path: `moveDealsTo.${from}`, message: `${to} is not a stage of the new stage list` });
  }
  for (const stage of removed) {
    const count = openDeals.get(stage.id) ?? 0;
    if (count > 0 && moves[stage.id] === undefined) {
      errors.push({ path: `moveDealsTo.${stage.id}`, message: `Stage ${stage.id} still has ${count} open deal(s): name the stage of the new list to move them to` });
    }
  }
  if (errors.length) throw new ValidationFailed(errors);

  // Every removed stage with a target retires (even at a count of 0: a deal written in the same
  // instant from a pipeline read before this edit is still moved); the others go at once.
  const retiring: RetiringStage[] = removed.filter((s) => moves[s.id] !== undefined).map((s) => ({ ...s, moveTo: moves[s.id]! }));
  const stages: Stage[] = patch.stages
    ? patch.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability, forecastCategory: s.forecastCategory ?? defaultForecastCategory(s.probability) }))
    : pipeline.stages;
  const next: Pipeline = { ...pipeline, name: patch.name ?? pipeline.name, stages, retiring: [...(pipeline.retiring ?? []), ...retiring] };
  const changed = next.name !== pipeline.name || JSON.stringify(next.stages) !== JSON.stringify(pipeline.stages) || retiring.length > 0;
  if (!changed) return { after: pipeline, retiring: [] };
  return { after: { ...next, updatedAt: nowIso, updatedBy: caller.userId, version: pipeline.version + 1 }, retiring };
}

/** The pipeline once a retiring stage's deals have all moved: the stage is gone for good (the version stays: no user edit). */
export function withoutRetiring(pipeline: Pipeline, stageId: string): Pipeline {
  return { ...pipeline, retiring: (pipeline.retiring ?? []).filter((s) => s.id !== stageId) };
}
