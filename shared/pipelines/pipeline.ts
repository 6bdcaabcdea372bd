import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { text } from '../customers/fields';

/**
 * A sales pipeline (issue 6, docs/pipeline.md): ordered stages, each with a win probability and a
 * forecast category. Deals move between the stages of their pipeline; won and lost are not stages
 * but the deal's status, so every pipeline closes the same way.
 */

export const MAX_STAGES = 20;

/** How an open deal in a stage counts in the forecast: commit (expected to close), best case, or pipeline only. */
export const FORECAST_CATEGORIES = ['pipeline', 'bestCase', 'commit'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

/** The board columns of closed deals; stage ids may not take these names. */
export const CLOSED_COLUMNS = { won: 'WON', lost: 'LOST' } as const;

export const stageIdInput = z
  .string()
  .check(
    z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'Expected a stage id of lower-case letters, digits and dashes (at most 32), e.g. qualified'),
    z.refine((id) => id !== 'won' && id !== 'lost', 'won and lost are deal outcomes, not stages'),
  );

const probability = z.int('Expected a whole percentage from 0 to 100').check(z.minimum(0, 'Expected a whole percentage from 0 to 100'), z.maximum(100, 'Expected a whole percentage from 0 to 100'));

const stageInput = z.strictObject({
  id: stageIdInput,
  name: text(100),
  probability,
  forecastCategory: z.optional(z.enum(FORECAST_CATEGORIES)),
});

/** Ordered stages, 1 to MAX_STAGES, ids unique: a new pipeline's, and the whole new list of a PATCH. */
export const stagesInput = z
    .array(stageInput)
    .check(
      z.minLength(1, 'A pipeline needs at least one stage'),
      z.maxLength(MAX_STAGES, `At most ${MAX_STAGES} stages`),
      z.superRefine((stages, ctx) => {
        const seen = new Set<string>();
        stages.forEach((stage, index) => {
          if (seen.has(stage.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], input: stage.id, message: `Stage id ${stage.id} is used twice` });
          seen.add(stage.id);
        });
      }),
    );

/** Request body of POST /pipelines. */
export const createPipelineInput = z.strictObject({
  name: text(100),
  stages: stagesInput,
});
export type CreatePipelineInput = z.output<typeof createPipelineInput>;

export interface Stage {
  id: string;
  name: string;
  /** Win probability in whole percent: the weighted forecast is amount x probability / 100. */
  probability: number;
  forecastCategory: ForecastCategory;
}

export interface Pipeline {
  id: string;
  tenantId: string;
  name: string;
  /** In board order: the first is where new deals start unless they name another. */
  stages: Stage[];
  /**
   * Stages a PATCH removed while they still held open deals: off the board's stage list, kept until
   * every deal has moved to `moveTo` (pipeline-edit.ts, docs/pipeline.md). Absent on older items.
   */
  retiring?: RetiringStage[];
  createdAt: string;
  createdBy: string;
  updatedAt?: string;
  updatedBy?: string;
  version: number;
}

export interface RetiringStage extends Stage {
  moveTo: string;
}

/** Without an explicit category, late stages commit (>= 70 %), middle ones are best case (>= 40 %). */
export function defaultForecastCategory(probabilityPercent: number): ForecastCategory {
  if (probabilityPercent >= 70) return 'commit';
  if (probabilityPercent >= 40) return 'bestCase';
  return 'pipeline';
}

export function newPipeline(input: CreatePipelineInput, caller: Caller, id: string, nowIso: string): Pipeline {
  return {
    id,
    tenantId: caller.tenantId,
    name: input.name,
    stages: input.stages.map((s) => ({ id: s.id, name: s.name, probability: s.probability, forecastCategory: s.forecastCategory ?? defaultForecastCategory(s.probability) })),
    createdAt: nowIso,
    createdBy: caller.userId,
    version: 1,
  };
}

export const findStage = (pipeline: Pipeline, id: string): Stage | undefined => pipeline.stages.find((s) => s.id === id);

/** Pipelines are the tenant's sales process: admins define them; every user of the tenant reads them. */
export const canDefinePipelines = (caller: Caller) => isAdmin(caller);

export function pipelineView(pipeline: Pipeline) {
  return {
    id: pipeline.id, name: pipeline.name, stages: pipeline.stages, retiring: pipeline.retiring ?? [],
    createdAt: pipeline.createdAt, createdBy: pipeline.createdBy, version: pipeline.version,
  };
}
