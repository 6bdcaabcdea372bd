import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Caller } from '../access/caller';
import { queryAllPages } from '../aws/query-all-pages';
import { keys, TABLE_INDEXES } from '../keys';
import type { PipelineRepository } from '../pipelines/pipeline-repository';
import { forecast, type ForecastDeal, forecastScope, parseBy, parsePeriod } from './forecast';

const FORECAST_ATTRIBUTES = ['id', 'pipelineId', 'stageId', 'status', 'amountMinor', 'currency', 'ownerId', 'teamId'] as const satisfies readonly (keyof ForecastDeal)[];

/**
 * The deals of a period: one key-condition range on GSI4 (`T#<t>#DEALS#CLOSE`, sorted by
 * `<close date>#<dealId>`; open deals by expected close, won deals by the day they were won, lost
 * deals not at all), projected to what the forecast adds up.
 */
export class ForecastReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dealsClosingBetween(tenantId: string, from: string, to: string): Promise<ForecastDeal[]> {
    const index = TABLE_INDEXES.gsi4;
    const items = await queryAllPages(this.db, {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: `${index.pk} = :pk AND ${index.sk} BETWEEN :from AND :to`,
      ExpressionAttributeValues: { ':pk': keys.dealsByCloseDate(tenantId).GSI4PK, ':from': `${from}#`, ':to': `${to}#~` },
      ProjectionExpression: FORECAST_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(FORECAST_ATTRIBUTES.map((a, i) => [`#a${i}`, a])),
    });
    return items as unknown as ForecastDeal[];
  }
}

/** GET /forecast?period=2027-Q1&by=owner|team[&pipelineId=]: one index range and the pipelines, in parallel. */
export async function getForecast(reader: ForecastReader, pipelines: Pick<PipelineRepository, 'list'>, caller: Caller, query: Record<string, string | undefined>) {
  const period = parsePeriod(query.period);
  const by = parseBy(query.by);
  const [deals, all] = await Promise.all([reader.dealsClosingBetween(caller.tenantId, period.from, period.to), pipelines.list(caller.tenantId)]);
  const inScope = forecastScope(caller);
  const chosen = deals.filter((d) => inScope(d) && (query.pipelineId === undefined || d.pipelineId === query.pipelineId));
  return { ...period, by, pipelineId: query.pipelineId ?? null, ...forecast(chosen, all, by) };
}
