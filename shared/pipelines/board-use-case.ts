import type { Caller } from '../access/caller';
import { DEAL_STATUSES, type Deal } from '../deals/deal';
import { PipelineNotFound } from '../deals/deal-errors';
import { dealView } from '../deals/deal-view';
import { CurrencySums } from '../deals/money';
import { ValidationFailed } from '../errors';
import { parseLimit } from '../pagination';
import { aggregateDeals, BOARD_PAGE, boardColumns, boardScope, OWNER_BOARD_BUDGET } from './board';
import type { BoardReader, ColumnAggregate } from './board-repository';
import type { PipelineRepository } from './pipeline-repository';

/**
 * GET /pipelines/{id}/board (docs/pipeline.md): the pipeline's columns (its stages in order, then
 * won and lost), each with its count and sums per currency and its first deals, soonest expected
 * close first.
 *
 * - The whole board (admins and managers without `owner`): counts and sums from the column's
 *   aggregate item (one Query reads them all), deals from the column's GSI1 partition (one Query
 *   per column, in parallel). Counts do not grow with the number of deals.
 * - One owner's board (reps always, `owner=` for managers and admins): the owner's deals of the
 *   pipeline from their GSI5 partitions (open, won, lost in parallel, bounded by OWNER_BOARD_BUDGET),
 *   counted and summed from those very deals, so the totals are those of the deals the board is of.
 */
export async function getBoard(reader: BoardReader, pipelines: Pick<PipelineRepository, 'get'>, caller: Caller, pipelineId: string, query: Record<string, string | undefined>) {
  const scope = boardScope(caller, query.owner);
  const limit = parseLimit(query.limit, BOARD_PAGE.default, BOARD_PAGE.max);
  if (scope.kind === 'owner' && query.cursor !== undefined) {
    throw new ValidationFailed([{ path: 'query.cursor', message: "An owner's board shows every column's first deals; page on with GET /deals?owner=&pipelineId=&stageId=" }]);
  }
  const pipeline = pipelineId ? await pipelines.get(caller.tenantId, pipelineId) : undefined;
  if (!pipeline) throw new PipelineNotFound(pipelineId);
  // `?column=<key>&cursor=` pages through one column; without it, every column's first page.
  const columns = boardColumns(pipeline).filter((c) => query.column === undefined || c.key === query.column);

  let aggregates: Map<string, ColumnAggregate>;
  let pages: { deals: Deal[]; cursor: string | null }[];
  let complete = true;
  if (scope.kind === 'whole') {
    [aggregates, pages] = await Promise.all([
      reader.aggregates(caller.tenantId, pipeline.id),
      Promise.all(columns.map((c) => reader.columnPage(caller.tenantId, pipeline.id, c.column, limit, query.column === undefined ? undefined : query.cursor))),
    ]);
  } else {
    const filter = { pipelineId: pipeline.id, ...(scope.managedTeam ? { managedTeam: scope.managedTeam } : {}) };
    const read = await Promise.all(DEAL_STATUSES.map((status) => reader.ownerDeals(caller.tenantId, scope.ownerId, status, filter, OWNER_BOARD_BUDGET)));
    const deals = read.flatMap((r) => r.deals);
    complete = read.every((r) => r.complete);
    aggregates = aggregateDeals(deals);
    // Each partition is sorted by expected close date, so a column's deals keep that order.
    pages = columns.map((c) => ({ deals: deals.filter((d) => (c.status === 'open' ? d.status === 'open' && `STAGE#${d.stageId}` === c.column : d.status === c.status)).slice(0, limit), cursor: null }));
  }
  return {
    pipeline: { id: pipeline.id, name: pipeline.name },
    owner: scope.kind === 'owner' ? scope.ownerId : null,
    complete,
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
        retiringInto: c.retiringInto,
        count: aggregate.count,
        amounts: amounts.view(),
        weighted: weighted.view('percent'),
        deals: pages[i]!.deals.map(dealView),
        cursor: pages[i]!.cursor,
      };
    }),
  };
}
