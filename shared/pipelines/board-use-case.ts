import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import { dealView } from '../deals/deal-view';
import { PipelineNotFound } from '../deals/deal-errors';
import { CurrencySums } from '../deals/money';
import { Forbidden } from '../errors';
import { parseLimit } from '../pagination';
import { BOARD_PAGE, boardColumns } from './board';
import type { BoardReader } from './board-repository';
import type { PipelineRepository } from './pipeline-repository';

/**
 * GET /pipelines/{id}/board (docs/pipeline.md): the pipeline's columns (its stages in order, then
 * won and lost), each with its count and sums per currency from the column's aggregate item (one
 * Query reads them all) and its first deals, soonest expected close first, from the column's GSI1
 * partition (one Query per column, in parallel). Counts do not grow with the number of deals.
 */

/** The board is the team's numbers: admins and managers read it. */
const canReadBoard = (caller: Caller) => overseesReps(caller);

export async function getBoard(reader: BoardReader, pipelines: Pick<PipelineRepository, 'get'>, caller: Caller, pipelineId: string, query: Record<string, string | undefined>) {
  if (!canReadBoard(caller)) throw new Forbidden('Only admins and managers read pipeline boards');
  const limit = parseLimit(query.limit, BOARD_PAGE.default, BOARD_PAGE.max);
  const pipeline = pipelineId ? await pipelines.get(caller.tenantId, pipelineId) : undefined;
  if (!pipeline) throw new PipelineNotFound(pipelineId);
  // `?column=<key>&cursor=` pages through one column; without it, every column's first page.
  const columns = boardColumns(pipeline).filter((c) => query.column === undefined || c.key === query.column);
  const [aggregates, pages] = await Promise.all([
    reader.aggregates(caller.tenantId, pipeline.id),
    Promise.all(columns.map((c) => reader.columnPage(caller.tenantId, pipeline.id, c.column, limit, query.column === undefined ? undefined : query.cursor))),
  ]);
  return {
    pipeline: { id: pipeline.id, name: pipeline.name },
    columns: columns.map((c, i) => {
      const aggregate = aggregates.get(c.column) ?? { count: 0, sums: {} };
      const amounts = new CurrencySums();
      const weighted = new CurrencySums();
      for (const [currency, minor] of Object.entries(aggregate.sums)) {
        if (minor === 0) continue;
        amounts.add(currency, minor);
        weighted.add(currency, BigInt(minor) * BigInt(c.stage ? c.stage.probability : c.status === 'won' ? 100 : 0));
      }
      return {
        key: c.key,
        status: c.status,
        name: c.stage?.name ?? c.key,
        probability: c.stage?.probability ?? (c.status === 'won' ? 100 : 0),
        forecastCategory: c.stage?.forecastCategory ?? null,
        count: aggregate.count,
        amounts: amounts.view(),
        weighted: weighted.view('percent'),
        deals: pages[i]!.deals.map(dealView),
        cursor: pages[i]!.cursor,
      };
    }),
  };
}
