import { dealStageChangedV1 } from '../../events/deal-stage-changed.v1';
import type { Actor } from '../../events/envelope';
import type { Caller } from '../access/caller';
import { type NamedItem, named } from '../aws/transact-write';
import { clock } from '../clock';
import type { Deal } from '../deals/deal';
import { PipelineNotFound, StageMoveInProgress } from '../deals/deal-errors';
import { aggregateUpdates, dealHistoryItem, dealItem, outboxPuts } from '../deals/deal-items';
import type { DealRepository } from '../deals/deal-repository';
import { Forbidden, StaleVersion } from '../errors';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import type { BoardReader } from './board-repository';
import { canDefinePipelines, findStage, type Pipeline, type RetiringStage } from './pipeline';
import { applyPipelinePatch, type PipelinePatch, withoutRetiring } from './pipeline-edit';
import type { PipelineRepository } from './pipeline-repository';

/**
 * PATCH /pipelines/{id} and the resumable move of a removed stage's deals (docs/pipeline.md,
 * "Editing a pipeline"). The removed stage is written into the pipeline as `retiring` with its
 * target first; then its deals move one transaction each (deal, history, both aggregates, event),
 * each conditional on the deal still being open in that stage at the version read, so a deal is
 * moved once whatever runs twice; the stage leaves `retiring` only when its board column is empty.
 * A crash in between leaves the pipeline retiring: the next PATCH (`{}` suffices) resumes.
 */

export interface PipelineEditDeps {
  pipelines: Pick<PipelineRepository, 'get' | 'put'>;
  board: Pick<BoardReader, 'aggregates' | 'columnPage'>;
  deals: Pick<DealRepository, 'commit' | 'tableName'>;
}

/** Deals moved per request at most: a PATCH answers within API Gateway's 29 s; the rest moves on the next PATCH. */
export const MOVES_PER_REQUEST = 500;
const MOVE_PAGE = 25;

export interface StageMoveContext {
  actor: Actor;
  correlationId: string;
}

/** The items that move one open deal from a retiring stage to its target: the same shape as a PATCH's stage move, without the profile (facts do not change). */
export function stageMoveItems(tableName: string, deal: Deal, stage: RetiringStage, pipeline: Pipeline, context: StageMoveContext & { tenantId: string }, nowIso: string): NamedItem[] {
  const after: Deal = { ...deal, stageId: stage.moveTo, updatedAt: nowIso, updatedBy: context.actor.id, version: deal.version + 1 };
  const event = newEvent(dealStageChangedV1, context, {
    dealId: deal.id, customerId: deal.customerId, pipelineId: deal.pipelineId, fromStageId: stage.id, toStageId: stage.moveTo, fromStatus: 'open',
    probability: findStage(pipeline, stage.moveTo)?.probability ?? 0, ownerId: deal.ownerId, version: after.version,
  });
  return [
    {
      name: 'deal',
      put: {
        TableName: tableName, Item: dealItem(after),
        ConditionExpression: '#version = :read AND #stage = :from AND #status = :open',
        ExpressionAttributeNames: { '#version': 'version', '#stage': 'stageId', '#status': 'status' },
        ExpressionAttributeValues: { ':read': deal.version, ':from': stage.id, ':open': 'open' },
      },
    },
    { name: 'dealHistory', put: { TableName: tableName, Item: dealHistoryItem(deal.tenantId, deal.customerId, { id: newId(), dealId: deal.id, from: stage.id, to: stage.moveTo, actor: context.actor, at: nowIso }) } },
    ...aggregateUpdates(tableName, deal.tenantId, deal.pipelineId, deal, after).map((item, i) => named(`board-${i}`, item)),
    ...outboxPuts(tableName, deal.tenantId, deal.customerId, [{ detailType: dealStageChangedV1.detailType, detail: event }]).map((item, i) => named(`dealEvent-${i}`, item)),
  ];
}

/**
 * Moves the deals of every retiring stage of the pipeline, at most `budget` moves, and drops each
 * stage whose column is empty. Safe to run again at any point (and concurrently): a deal that moved
 * or changed meanwhile fails its condition and is read again from the column, or is gone from it.
 */
export async function moveRetiringDeals(deps: PipelineEditDeps, tenantId: string, pipelineId: string, context: StageMoveContext, budget = MOVES_PER_REQUEST): Promise<Pipeline> {
  let pipeline = await deps.pipelines.get(tenantId, pipelineId, true);
  if (!pipeline) throw new PipelineNotFound(pipelineId);
  let attempts = 0;
  for (const stage of [...(pipeline.retiring ?? [])]) {
    for (;;) {
      if (attempts >= budget) return pipeline;
      const page = await deps.board.columnPage(tenantId, pipelineId, `STAGE#${stage.id}`, Math.min(MOVE_PAGE, budget - attempts));
      if (page.deals.length === 0) break;
      for (const deal of page.deals) {
        attempts++;
        // A failed condition: the deal moved or changed since the index showed it; the next page shows it again if it is still here.
        await deps.deals.commit(stageMoveItems(deps.deals.tableName, deal, stage, pipeline, { ...context, tenantId }, clock.nowIso()));
      }
    }
    const done = withoutRetiring(pipeline, stage.id);
    const written = await deps.pipelines.put(done, pipeline.version);
    if (!written.written) {
      // Another run finished it, or a PATCH changed the pipeline: start again from what is stored.
      return moveRetiringDeals(deps, tenantId, pipelineId, context, budget - attempts);
    }
    pipeline = done;
  }
  return pipeline;
}

/**
 * PATCH /pipelines/{id} at the version the client read (If-Match). Admins only, like creating one.
 * Deals of stages removed earlier move first; a change while some are still moving is a 409.
 */
export async function updatePipeline(deps: PipelineEditDeps, caller: Caller, pipelineId: string, patch: PipelinePatch, expected: number, correlationId: string): Promise<Pipeline> {
  if (!canDefinePipelines(caller)) throw new Forbidden('Only an admin may change pipelines');
  const context: StageMoveContext = { actor: { type: 'user', id: caller.userId }, correlationId };
  const stored = pipelineId ? await deps.pipelines.get(caller.tenantId, pipelineId, true) : undefined;
  if (!stored) throw new PipelineNotFound(pipelineId);
  if (stored.version !== expected) throw new StaleVersion('pipeline', stored.version);
  let pipeline = stored;
  if ((pipeline.retiring ?? []).length > 0) {
    pipeline = await moveRetiringDeals(deps, caller.tenantId, pipelineId, context);
    if (pipeline.version !== expected) throw new StaleVersion('pipeline', pipeline.version);
    const left = pipeline.retiring ?? [];
    if (left.length > 0) {
      if (patch.name === undefined && patch.stages === undefined && patch.moveDealsTo === undefined) return pipeline;
      throw new StageMoveInProgress(left.map((s) => s.id));
    }
  }
  const aggregates = patch.stages ? await deps.board.aggregates(caller.tenantId, pipelineId) : new Map();
  const openDeals = new Map(pipeline.stages.map((s) => [s.id, aggregates.get(`STAGE#${s.id}`)?.count ?? 0]));
  const { after, retiring } = applyPipelinePatch(pipeline, patch, openDeals, caller, clock.nowIso());
  if (after === pipeline) return pipeline;
  const written = await deps.pipelines.put(after, expected);
  if (!written.written) {
    if (written.currentVersion === undefined) throw new PipelineNotFound(pipelineId);
    throw new StaleVersion('pipeline', written.currentVersion);
  }
  return retiring.length > 0 ? moveRetiringDeals(deps, caller.tenantId, pipelineId, context) : after;
}
