import type { Caller } from '../access/caller';
import { type Deal, boardColumnOf } from '../deals/deal';
import { dealListScope, type DealFilter } from '../deals/deal-list-query';
import { ValidationFailed } from '../errors';
import type { ColumnAggregate } from './board-repository';
import { CLOSED_COLUMNS, type Pipeline } from './pipeline';

export const BOARD_PAGE = { default: 20, max: 100 } as const;

/**
 * An owner's board is computed from the owner's deals (GSI5, one partition per status), not from
 * aggregate items: at most this many deals of one status are read (over all pipelines: the Query
 * filters on the pipeline), so a board is at most 3 x ceil(budget / items per 1 MB page) requests.
 * An owner past it gets `complete: false` and counts of the deals read.
 */
export const OWNER_BOARD_BUDGET = 1000;

/**
 * Board columns of a pipeline: key (stage id, won, lost) and the aggregate/index column name. A
 * removed stage whose deals are still moving keeps its column (after the stages) until it is empty,
 * so the board adds up to every deal throughout the move.
 */
export function boardColumns(pipeline: Pipeline) {
  return [
    ...pipeline.stages.map((stage) => ({ key: stage.id, column: `STAGE#${stage.id}`, status: 'open' as const, stage, retiringInto: null as string | null })),
    ...(pipeline.retiring ?? []).map((stage) => ({ key: stage.id, column: `STAGE#${stage.id}`, status: 'open' as const, stage, retiringInto: stage.moveTo as string | null })),
    { key: 'won', column: CLOSED_COLUMNS.won, status: 'won' as const, stage: undefined, retiringInto: null },
    { key: 'lost', column: CLOSED_COLUMNS.lost, status: 'lost' as const, stage: undefined, retiringInto: null },
  ];
}

/** The whole board (aggregate items), or one owner's deals. */
export type BoardScope = { kind: 'whole' } | { kind: 'owner'; ownerId: string; managedTeam?: DealFilter['managedTeam'] };

const USER_ID = /^[A-Za-z0-9_@.:-]{1,128}$/;

/**
 * Who reads which board: admins and managers the whole board (aggregates) or, with `owner`, that
 * owner's deals (a manager: within their team, as in GET /deals); everyone else (reps) their own
 * deals, with or without `owner=me`, and naming another owner is a 403.
 */
export function boardScope(caller: Caller, owner: string | undefined): BoardScope {
  if (owner !== undefined && owner !== 'me' && !USER_ID.test(owner)) throw new ValidationFailed([{ path: 'query.owner', message: 'Expected "me" or a user id' }]);
  const scope = dealListScope(caller, owner);
  if (scope.ownerId === undefined) return { kind: 'whole' };
  return { kind: 'owner', ownerId: scope.ownerId, ...(scope.managedTeam ? { managedTeam: scope.managedTeam } : {}) };
}

/** Count and sums per column of the deals given (an owner's board): the same numbers the aggregate items hold for the whole board. */
export function aggregateDeals(deals: readonly Pick<Deal, 'status' | 'stageId' | 'currency' | 'amountMinor'>[]): Map<string, ColumnAggregate> {
  const columns = new Map<string, ColumnAggregate>();
  for (const deal of deals) {
    const column = boardColumnOf(deal);
    const aggregate = columns.get(column) ?? { count: 0, sums: {} };
    aggregate.count += 1;
    aggregate.sums[deal.currency] = (aggregate.sums[deal.currency] ?? 0) + deal.amountMinor;
    columns.set(column, aggregate);
  }
  return columns;
}
