import { CLOSED_COLUMNS, type Pipeline } from './pipeline';

export const BOARD_PAGE = { default: 20, max: 100 } as const;

/** Board columns of a pipeline: key (stage id, won, lost) and the aggregate/index column name. */
export function boardColumns(pipeline: Pipeline) {
  return [
    ...pipeline.stages.map((stage) => ({ key: stage.id, column: `STAGE#${stage.id}`, status: 'open' as const, stage })),
    { key: 'won', column: CLOSED_COLUMNS.won, status: 'won' as const, stage: undefined },
    { key: 'lost', column: CLOSED_COLUMNS.lost, status: 'lost' as const, stage: undefined },
  ];
}
