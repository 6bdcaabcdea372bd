import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { overseesReps } from '../access/permissions';
import { queryAllPages } from '../aws/query-all-pages';
import type { Deal } from '../deals/deal';
import { dealView } from '../deals/deal-view';
import { PipelineNotFound } from '../deals/deal-errors';
import { CurrencySums } from '../deals/money';
import { Forbidden } from '../errors';
import { DEAL_SK_PREFIX, keys, TABLE_INDEXES, withoutStorageAttributes } from '../keys';
import { decodeIndexCursor, encodeCursor, parseLimit } from '../pagination';
import { CLOSED_COLUMNS, type Pipeline } from './pipeline';
import type { PipelineRepository } from './pipeline-repository';

/**
 * GET /pipelines/{id}/board (docs/pipeline.md): the pipeline's columns (its stages in order, then
 * won and lost), each with its count and sums per currency from the column's aggregate item (one
 * Query reads them all) and its first deals, soonest expected close first, from the column's GSI1
 * partition (one Query per column, in parallel). Counts do not grow with the number of deals.
 */

export const BOARD_PAGE = { default: 20, max: 100 } as const;

export interface ColumnAggregate {
  count: number;
  sums: Record<string, number>;
}

export function toAggregate(item: Record<string, unknown>): ColumnAggregate {
  const sums = Object.fromEntries(Object.entries(item).filter(([name]) => name.startsWith('sum:')).map(([name, value]) => [name.slice(4), Number(value)]));
  return { count: Number(item.count ?? 0), sums };
}

export class BoardReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async aggregates(tenantId: string, pipelineId: string): Promise<Map<string, ColumnAggregate>> {
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.boardAggregates(tenantId, pipelineId).PK },
    });
    return new Map(items.map((item) => [String(item.SK), toAggregate(item)]));
  }

  async columnPage(tenantId: string, pipelineId: string, column: string, limit: number, cursor?: string): Promise<{ deals: Deal[]; cursor: string | null }> {
    const index = TABLE_INDEXES.gsi1;
    const partition = keys.boardColumn(tenantId, pipelineId, column).GSI1PK;
    const customerPrefix = keys.customerPartition(tenantId, '');
    const start = decodeIndexCursor(cursor, index, partition, (key) => key.PK.startsWith(customerPrefix) && key.SK.startsWith(DEAL_SK_PREFIX));
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return { deals: (page.Items ?? []).map((item) => withoutStorageAttributes(item) as unknown as Deal), cursor: encodeCursor(page.LastEvaluatedKey) };
  }
}

/** Board columns of a pipeline: key (stage id, won, lost) and the aggregate/index column name. */
export function boardColumns(pipeline: Pipeline) {
  return [
    ...pipeline.stages.map((stage) => ({ key: stage.id, column: `STAGE#${stage.id}`, status: 'open' as const, stage })),
    { key: 'won', column: CLOSED_COLUMNS.won, status: 'won' as const, stage: undefined },
    { key: 'lost', column: CLOSED_COLUMNS.lost, status: 'lost' as const, stage: undefined },
  ];
}

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
