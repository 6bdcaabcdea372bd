import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, QueryCommand, type QueryCommandInput, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { monotonicFactory } from 'ulid';
import { applyDealPatch, createDealInput, type Deal, newDeal } from '../shared/deals/deal';
import { aggregateUpdates, dealItem, type TransactItem } from '../shared/deals/deal-items';
import { fromMinor, fromMinorPercent } from '../shared/deals/money';
import type { Caller } from '../shared/access/caller';
import { keys, TABLE_INDEXES } from '../shared/keys';
import type { Pipeline } from '../shared/pipelines/pipeline';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';
import { httpGet } from './measure/http-get';
import { combine, type LoadResult, runClosedLoop } from './load';
import { expectOk, startRuntime } from './local-stack';

const TENANT = 'benchboard';
const FULL_DEALS = 50_000;
const QUICK_DEALS = Number(process.env.PIPELINE_BENCH_QUICK_DEALS ?? 5_000);
const DEALS_PER_CUSTOMER = 5;
const STAGES = [['lead', 10], ['qualified', 25], ['discovery', 40], ['proposal', 60], ['negotiation', 80], ['verbal', 90]] as const;
const YEAR = 2027;
const QUARTER = 2;
const PERIOD = `${YEAR}-Q${QUARTER}`;
const TEAMS = ['north', 'south', 'east', 'west'];
/** 24 owners in 4 teams; the last one has no team (the forecast's `teamId: null` row). */
const OWNERS = Array.from({ length: 24 }, (_, i) => ({ id: `rep-${String(i).padStart(2, '0')}`, teamId: i === 23 ? null : TEAMS[i % TEAMS.length]! }));
const BOARD_LIMIT = 20;
const CREATED_AT = '2026-12-01T09:00:00.000Z';
/** Targets (docs/benchmarks.md): p50 of the API path / p50 of the bare Query of its index. */
const BOARD_TARGET = 3;
const FORECAST_TARGET = 1.5;
const LOCAL = { region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

type Counts = Record<string, { requests: number; readCapacityUnits: number; writeCapacityUnits: number }>;
type Sums = Map<string, bigint>;
interface Column { count: number; sums: Sums; first: string[] }

export const pipelineBoardBenchmark: Benchmark = {
  name: 'pipeline-board',
  title: 'Pipeline board and forecast on 50,000 deals',
  run: runPipelineBoard,
};

/** Deterministic spread (no Math.random: every run seeds the same board). */
const hash = (i: number, salt: number) => {
  let x = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca77);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return (x ^ (x >>> 13)) >>> 0;
};
const dayOf = (year: number, dayIndex: number) => new Date(Date.UTC(year, 0, 1 + dayIndex)).toISOString().slice(0, 10);
const add = (sums: Sums, currency: string, value: bigint) => sums.set(currency, (sums.get(currency) ?? 0n) + value);
const view = (sums: Sums, scale: 'minor' | 'percent' = 'minor') =>
  Object.fromEntries([...sums].filter(([, v]) => v !== 0n).sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => [c, scale === 'minor' ? fromMinor(v) : fromMinorPercent(v)]));

/** The deals, built with the deal code's own pure functions (create, then close), as the API would store them. */
function buildDeals(count: number, pipeline: Pipeline): Deal[] {
  const nextId = monotonicFactory();
  const base = Date.parse(CREATED_AT);
  const customers = Array.from({ length: Math.ceil(count / DEALS_PER_CUSTOMER) }, (_, i) => nextId(base - 86_400_000 + i));
  return Array.from({ length: count }, (_, i) => {
    const owner = OWNERS[hash(i, 1) % OWNERS.length]!;
    const caller: Caller = { userId: owner.id, tenantId: TENANT, groups: ['rep'], ...(owner.teamId ? { teamId: owner.teamId } : {}) };
    const input = createDealInput.parse({
      customerId: customers[Math.floor(i / DEALS_PER_CUSTOMER)],
      pipelineId: pipeline.id,
      stageId: STAGES[hash(i, 2) % STAGES.length]![0],
      name: `Deal ${i}`,
      amount: `${500 + (hash(i, 3) % 250_000)}.${String(hash(i, 4) % 100).padStart(2, '0')}`,
      currency: hash(i, 5) % 5 === 0 ? 'USD' : 'EUR',
      expectedCloseDate: dayOf(YEAR, hash(i, 6) % 365),
      ownerId: owner.id,
    });
    const deal = newDeal(input, pipeline, owner, caller, nextId(base + i), CREATED_AT);
    // 10% won (on a day of the year), 10% lost, the rest open.
    const closedAt = `${dayOf(YEAR, hash(i, 7) % 365)}T15:00:00.000Z`;
    if (i % 10 === 0) return applyDealPatch(deal, { status: 'won' }, pipeline, undefined, caller, closedAt).after;
    if (i % 10 === 1) return applyDealPatch(deal, { status: 'lost', reason: 'Went with a competitor' }, pipeline, undefined, caller, closedAt).after;
    return deal;
  });
}

/**
 * The aggregate items as DynamoDB would hold them after every deal's transaction: each deal's
 * `aggregateUpdates` (the repository's Update items) applied in memory, SET and ADD as DynamoDB
 * applies them, then written once (50,000 UpdateItems would take longer than the deals).
 */
function foldAggregates(updates: TransactItem[]): Record<string, unknown>[] {
  const items = new Map<string, Record<string, unknown>>();
  for (const { Update: update } of updates) {
    if (!update?.UpdateExpression) throw new Error('aggregateUpdates returned something other than an Update');
    const names = update.ExpressionAttributeNames ?? {};
    const values = update.ExpressionAttributeValues ?? {};
    const name = (token: string) => (token.startsWith('#') ? names[token]! : token);
    const key = update.Key ?? {};
    const id = `${String(key.PK)}|${String(key.SK)}`;
    const item = items.get(id) ?? { ...key };
    const [set, adds] = update.UpdateExpression.replace(/^SET /, '').split(' ADD ');
    for (const assignment of set!.split(', ')) {
      const [target, value] = assignment.split(' = ');
      item[name(target!)] = values[value!];
    }
    for (const addition of adds?.split(', ') ?? []) {
      const [target, value] = addition.split(' ');
      item[name(target!)] = Number(item[name(target!)] ?? 0) + Number(values[value!]);
    }
    items.set(id, item);
  }
  return [...items.values()];
}

/** What the board must show, computed from the seeded deals without the board's code. */
function expectedBoard(deals: Deal[]): Map<string, Column> {
  const columns = new Map<string, Column & { keys: string[] }>();
  for (const deal of deals) {
    const key = deal.status === 'open' ? deal.stageId : deal.status;
    const column = columns.get(key) ?? { count: 0, sums: new Map<string, bigint>(), first: [] as string[], keys: [] as string[] };
    column.count++;
    add(column.sums, deal.currency, BigInt(deal.amountMinor));
    column.keys.push(`${deal.expectedCloseDate}#${deal.id}`);
    columns.set(key, column);
  }
  for (const column of columns.values()) column.first = column.keys.sort().slice(0, BOARD_LIMIT).map((k) => k.split('#')[1]!);
  return columns;
}

/** The forecast's totals of the period, computed from the seeded deals without the forecast's code. */
function expectedForecast(deals: Deal[], pipeline: Pipeline, from: string, to: string) {
  const stages = new Map(pipeline.stages.map((s) => [s.id, s]));
  const t = { deals: 0, won: new Map(), pipeline: new Map(), weighted: new Map(), commit: new Map(), bestCase: new Map() } as { deals: number } & Record<'won' | 'pipeline' | 'weighted' | 'commit' | 'bestCase', Sums>;
  const owners = new Set<string | null>();
  const teams = new Set<string | null>();
  for (const deal of deals) {
    const date = deal.status === 'won' ? deal.closedAt!.slice(0, 10) : deal.status === 'open' ? deal.expectedCloseDate : null;
    if (date === null || date < from || date > to) continue;
    t.deals++;
    owners.add(deal.ownerId);
    teams.add(deal.teamId);
    const amount = BigInt(deal.amountMinor);
    if (deal.status === 'won') {
      add(t.won, deal.currency, amount);
      continue;
    }
    const stage = stages.get(deal.stageId)!;
    add(t.pipeline, deal.currency, amount);
    add(t.weighted, deal.currency, amount * BigInt(stage.probability));
    if (stage.forecastCategory === 'commit') add(t.commit, deal.currency, amount);
    if (stage.forecastCategory !== 'pipeline') add(t.bestCase, deal.currency, amount);
  }
  const total = { deals: t.deals, won: view(t.won), pipeline: view(t.pipeline), weighted: view(t.weighted, 'percent'), commit: view(t.commit), bestCase: view(t.bestCase) };
  return { total, rows: { owner: owners.size, team: teams.size } };
}

interface BoardColumnView { key: string; count: number; amounts: Record<string, string>; deals: { id: string }[] }
interface ForecastView { total: Record<string, unknown>; rows: { deals: number }[] }

function boardProblems(board: { columns: BoardColumnView[] }, expected: Map<string, Column>): string[] {
  const problems: string[] = [];
  const keysShown = board.columns.map((c) => c.key).join(',');
  const keysWanted = [...STAGES.map(([id]) => id), 'won', 'lost'].join(',');
  if (keysShown !== keysWanted) problems.push(`columns ${keysShown}, expected ${keysWanted}`);
  for (const column of board.columns) {
    const want = expected.get(column.key) ?? { count: 0, sums: new Map(), first: [] };
    if (column.count !== want.count) problems.push(`${column.key}: count ${column.count}, seeded ${want.count}`);
    if (JSON.stringify(column.amounts) !== JSON.stringify(view(want.sums))) problems.push(`${column.key}: amounts ${JSON.stringify(column.amounts)}, seeded ${JSON.stringify(view(want.sums))}`);
    if (column.deals.map((d) => d.id).join() !== want.first.join()) problems.push(`${column.key}: first ${column.deals.length} deals are not the ${want.first.length} soonest to close`);
  }
  return problems;
}

function forecastProblems(by: 'owner' | 'team', result: ForecastView, expected: ReturnType<typeof expectedForecast>): string[] {
  const problems: string[] = [];
  if (JSON.stringify(result.total) !== JSON.stringify(expected.total)) problems.push(`by=${by}: total ${JSON.stringify(result.total)}, seeded ${JSON.stringify(expected.total)}`);
  if (result.rows.length !== expected.rows[by]) problems.push(`by=${by}: ${result.rows.length} rows, seeded ${expected.rows[by]}`);
  const inRows = result.rows.reduce((s, r) => s + r.deals, 0);
  if (inRows !== expected.total.deals) problems.push(`by=${by}: rows add up to ${inRows} deals, total ${expected.total.deals}`);
  return problems;
}

/** One runtime with the tenant seeded: a pipeline through the API, then the deals and aggregates straight into DynamoDB Local. */
async function seededRuntime(ctx: BenchContext, count: number, countRequests: boolean) {
  const runtime = await startRuntime(ctx.rootDir, [], countRequests ? ['--count-requests'] : []);
  try {
    const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
    const headers = (token?: string) => ({ 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) });
    const post = async (path: string, body: unknown, token?: string) => (await expectOk(await fetch(`${apiUrl}${path}`, { method: 'POST', headers: headers(token), body: JSON.stringify(body) }), `POST ${path}`)) as Record<string, unknown>;
    const token = String((await post('/_local/tokens', { sub: 'admin-1', tenantId: TENANT, groups: ['admin'] })).token);
    const created = await post('/pipelines', { name: 'New business', stages: STAGES.map(([id, probability]) => ({ id, name: id, probability })) }, token);
    const pipeline = { ...created, tenantId: TENANT } as unknown as Pipeline;
    const deals = buildDeals(count, pipeline);
    const aggregates = foldAggregates(deals.flatMap((d) => aggregateUpdates(tableName, TENANT, pipeline.id, null, d)));
    const items = [...deals.map(dealItem), ...aggregates];
    ctx.log(`seeding ${count} deals and ${aggregates.length} aggregate items with BatchWriteItem into DynamoDB Local`);
    const dynamo = new DynamoDBClient({ endpoint: dynamoDbEndpoint, ...LOCAL });
    let nextBatch = 0;
    const seedStart = performance.now();
    const seeded = await runClosedLoop(
      async () => {
        const b = nextBatch++;
        let requests: WriteRequest[] = items.slice(b * 25, b * 25 + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
        while (requests.length) {
          const result = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
          requests = result.UnprocessedItems?.[tableName] ?? [];
        }
      },
      { concurrency: 8, maxOps: Math.ceil(items.length / 25) },
    );
    if (seeded.errors) throw new Error(`seeding failed: ${seeded.firstError}`);
    const seedMs = performance.now() - seedStart;
    await post('/_local/settle', {}); // the stream carries every seeded item: drained before anything is measured
    ctx.log(`seeded in ${(seedMs / 1000).toFixed(1)} s (${Math.round(items.length / (seedMs / 1000))} items/s) and settled`);
    const get = async (path: string) => {
      const res = await httpGet(`${apiUrl}${path}`, { authorization: `Bearer ${token}` });
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
      return JSON.parse(res.body) as unknown;
    };
    return { runtime, apiUrl, tableName, dynamo, pipeline, deals, get, seedMs, itemBytes: Buffer.byteLength(JSON.stringify(items[1])) };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

/** The requests the measured operations make (`Limit` and projection as the board and the forecast send them). */
function bareQueries(tableName: string, pipelineId: string, from: string, to: string) {
  const names = ['id', 'pipelineId', 'stageId', 'status', 'amountMinor', 'currency', 'ownerId', 'teamId'];
  const column: QueryCommandInput = {
    TableName: tableName,
    IndexName: TABLE_INDEXES.gsi1.name,
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': { S: keys.boardColumn(TENANT, pipelineId, `STAGE#${STAGES[0][0]}`).GSI1PK } },
    Limit: BOARD_LIMIT,
  };
  const range: QueryCommandInput = {
    TableName: tableName,
    IndexName: TABLE_INDEXES.gsi4.name,
    KeyConditionExpression: 'GSI4PK = :pk AND GSI4SK BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': { S: keys.dealsByCloseDate(TENANT).GSI4PK }, ':from': { S: `${from}#` }, ':to': { S: `${to}#~` } },
    ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
  };
  /** The board's own requests without the API: GetItem of the pipeline, then the aggregates and every column in parallel. */
  const fanOut = async (dynamo: DynamoDBClient) => {
    await dynamo.send(new GetItemCommand({ TableName: tableName, Key: marshall(keys.pipeline(TENANT, pipelineId)) }));
    const aggregates = { TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: keys.boardAggregates(TENANT, pipelineId).PK } } };
    const columnQuery = (c: string) => ({ ...column, ExpressionAttributeValues: { ':pk': { S: keys.boardColumn(TENANT, pipelineId, c).GSI1PK } } });
    await Promise.all([queryAll(dynamo, aggregates), ...[...STAGES.map(([id]) => `STAGE#${id}`), 'WON', 'LOST'].map((c) => queryAll(dynamo, columnQuery(c)))]);
  };
  return { column, range, fanOut };
}

/** Every page of a Query; returns items and the read units DynamoDB Local reported (when asked). */
async function queryAll(dynamo: DynamoDBClient, input: QueryCommandInput, capacity = false) {
  let [items, units, requests] = [0, 0, 0];
  let start: QueryCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: start, ...(capacity ? { ReturnConsumedCapacity: 'TOTAL' } : {}) }));
    items += page.Count ?? 0;
    units += page.ConsumedCapacity?.CapacityUnits ?? 0;
    requests++;
    start = page.LastEvaluatedKey;
  } while (start && input.Limit === undefined);
  return { items, units, requests };
}

/** Sequential runs of each op, interleaved in ABC/CBA segments after a warm-up, so drift on the shared machine cancels out. */
async function interleaved(ops: (() => Promise<unknown>)[], samples: number, warmUp: number): Promise<LoadResult[]> {
  for (const op of ops) await runClosedLoop(async () => void (await op()), { concurrency: 1, maxOps: warmUp });
  const runs: LoadResult[][] = ops.map(() => []);
  for (let s = 0, segments = 4; s < segments; s++) {
    const order = s % 2 === 0 ? ops.map((_, i) => i) : ops.map((_, i) => ops.length - 1 - i);
    for (const i of order) runs[i]!.push(await runClosedLoop(async () => void (await ops[i]!()), { concurrency: 1, maxOps: Math.ceil(samples / segments), keepSamples: true }));
  }
  const results = runs.map((r) => ({ ...combine(r), samples: undefined }));
  const failed = results.find((r) => r.errors);
  if (failed) throw new Error(`${failed.errors} failed requests: ${failed.firstError}`);
  return results;
}

/**
 * Issue 6, measured: one tenant, one 6-stage pipeline, 50,000 deals (5,000 with --quick) over 24
 * owners in 4 teams, 4 quarters, 10% won and 10% lost. Board and forecast latency through the API
 * against a bare Query of the index each reads, in the same run; their requests and read units
 * counted at DynamoDB Local in a second runtime (the counting proxy would slow the API path only).
 */
export async function runPipelineBoard(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const count = ctx.quick ? QUICK_DEALS : FULL_DEALS;
  const firstMonth = (QUARTER - 1) * 3 + 1;
  const from = `${YEAR}-${String(firstMonth).padStart(2, '0')}-01`;
  const to = new Date(Date.UTC(YEAR, firstMonth + 2, 0)).toISOString().slice(0, 10);
  const paths = { board: '', owner: `/forecast?period=${PERIOD}&by=owner`, team: `/forecast?period=${PERIOD}&by=team` };
  const check = async (s: Awaited<ReturnType<typeof seededRuntime>>) => {
    const problems: string[] = [];
    const board = (await s.get(`/pipelines/${s.pipeline.id}/board`)) as { columns: BoardColumnView[] };
    problems.push(...boardProblems(board, expectedBoard(s.deals)));
    const want = expectedForecast(s.deals, s.pipeline, from, to);
    for (const by of ['owner', 'team'] as const) problems.push(...forecastProblems(by, (await s.get(paths[by])) as ForecastView, want));
    if (problems.length) throw new Error(`board/forecast disagree with the seeded deals:\n  ${problems.slice(0, 12).join('\n  ')}`);
    return want.total.deals;
  };

  // Phase 1: requests and read units (runtime with --count-requests).
  const counts: Record<string, Counts> = {};
  const bareUnits: Record<string, { requests: number; units: number; items: number }> = {};
  let inPeriod = 0;
  {
    const s = await seededRuntime(ctx, count, true);
    try {
      inPeriod = await check(s);
      paths.board = `/pipelines/${s.pipeline.id}/board`;
      for (const [label, path] of Object.entries(paths)) {
        await fetch(`${s.apiUrl}/_local/dynamodb-requests/reset`, { method: 'POST' });
        await s.get(path);
        counts[label] = ((await (await fetch(`${s.apiUrl}/_local/dynamodb-requests`)).json()) as { operations: Counts }).operations;
      }
      const bare = bareQueries(s.tableName, s.pipeline.id, from, to);
      bareUnits.column = await queryAll(s.dynamo, bare.column, true);
      bareUnits.range = await queryAll(s.dynamo, bare.range, true);
      if (bareUnits.range.items !== inPeriod) throw new Error(`bare range Query returned ${bareUnits.range.items} items, the period has ${inPeriod} deals`);
    } finally {
      s.dynamo.destroy();
      await s.runtime.stop();
    }
  }

  // Phase 2: latency (runtime without the counting proxy), the same data seeded again.
  const s = await seededRuntime(ctx, count, false);
  let seeding = {};
  let latency: Record<'board' | 'column' | 'fanOut' | 'owner' | 'team' | 'range', LoadResult>;
  try {
    await check(s);
    const bare = bareQueries(s.tableName, s.pipeline.id, from, to);
    paths.board = `/pipelines/${s.pipeline.id}/board`;
    ctx.log('latency: board vs a bare Query of one column (sequential, interleaved)');
    const [board, column, fanOut] = await interleaved([() => s.get(paths.board), () => queryAll(s.dynamo, bare.column), () => bare.fanOut(s.dynamo)], ctx.quick ? 40 : 200, ctx.quick ? 10 : 50);
    ctx.log(`latency: forecast (by owner, by team) vs a bare Query of the period's ${inPeriod} index entries`);
    const [owner, team, range] = await interleaved([() => s.get(paths.owner), () => s.get(paths.team), () => queryAll(s.dynamo, bare.range)], ctx.quick ? 12 : 60, ctx.quick ? 3 : 10);
    latency = { board: board!, column: column!, fanOut: fanOut!, owner: owner!, team: team!, range: range! };
    seeding = { ms: Math.round(s.seedMs), itemBytes: s.itemBytes };
  } finally {
    s.dynamo.destroy();
    await s.runtime.stop();
  }

  const ratio = (api: LoadResult, bare: LoadResult, p: 'p50' | 'p95' = 'p50') => api.latencyMs[p] / bare.latencyMs[p];
  const boardRatio = ratio(latency.board, latency.column);
  const forecastRatio = Math.max(ratio(latency.owner, latency.range), ratio(latency.team, latency.range));
  const row = (label: string, r: LoadResult) => [label, fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.latencyMs.p99), fmt(r.opsPerSec, 1), String(r.ops)];
  const total = (c: Counts, k: 'requests' | 'readCapacityUnits') => Object.values(c).reduce((sum, op) => sum + op[k], 0);
  const requestsOf = (c: Counts) => Object.entries(c).map(([op, v]) => `${op} ${v.requests}`).join(', ');
  const columns = STAGES.length + 2;

  return {
    figures: {
      deals: count,
      period: PERIOD,
      dealsInPeriod: inPeriod,
      seeding,
      latency: Object.fromEntries(Object.entries(latency).map(([k, r]) => [k, { ...r.latencyMs, opsPerSec: round(r.opsPerSec, 1), ops: r.ops }])),
      ratios: Object.fromEntries(
        (['p50', 'p95'] as const).flatMap((p) => [[`board${p}`, ratio(latency.board, latency.column, p)], [`boardVsFanOut${p}`, ratio(latency.board, latency.fanOut, p)], [`forecastOwner${p}`, ratio(latency.owner, latency.range, p)], [`forecastTeam${p}`, ratio(latency.team, latency.range, p)]]).map(([k, v]) => [k, round(Number(v), 3)]),
      ),
      requests: counts,
      bare: bareUnits,
    },
    tables: [
      {
        title: `Latency, sequential, after warm-up (${count.toLocaleString('en-US')} deals; ${PERIOD} holds ${inPeriod.toLocaleString('en-US')} open or won)`,
        columns: ['Path', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'ops/s', 'requests'],
        rows: [
          row(`GET /pipelines/{id}/board (${columns} columns, ${BOARD_LIMIT} deals each)`, latency.board),
          row(`bare Query GSI1, one column, Limit ${BOARD_LIMIT} (SDK)`, latency.column),
          row(`diagnostic: the board's ${columns + 2} requests bare (GetItem, then aggregates and ${columns} columns in parallel)`, latency.fanOut),
          row(`GET /forecast?period=${PERIOD}&by=owner`, latency.owner),
          row(`GET /forecast?period=${PERIOD}&by=team`, latency.team),
          row('bare Query GSI4, the period\'s range, same projection, all pages (SDK)', latency.range),
        ],
      },
      {
        title: 'DynamoDB requests and read units per request (counted at DynamoDB Local)',
        columns: ['Operation', 'Requests', 'Read units'],
        rows: [
          ...Object.entries(counts).map(([label, c]) => [label === 'board' ? 'GET /pipelines/{id}/board' : `GET /forecast by=${label}`, requestsOf(c), fmt(total(c, 'readCapacityUnits'), 1)]),
          ...Object.entries(bareUnits).map(([label, b]) => [`bare Query, ${label === 'column' ? 'one column' : 'the period\'s range'}`, `Query ${b.requests}`, fmt(b.units, 1)]),
        ],
      },
    ],
    reach: [
      { subject: 'board and forecast = seeded deals (counts, sums, first deals; else the run fails)', target: 'equal', actual: 'equal', met: true },
      { subject: 'board: DynamoDB requests (independent of deals)', target: `${columns + 2} (GetItem, aggregates, ${columns} columns)`, actual: requestsOf(counts.board!), met: total(counts.board!, 'requests') === columns + 2 },
      { subject: 'board p50 / bare column Query p50', target: `<= ${BOARD_TARGET}`, actual: fmt(boardRatio), met: boardRatio <= BOARD_TARGET },
      { subject: 'forecast p50 (worse of by=owner, by=team) / bare range Query p50', target: `<= ${FORECAST_TARGET}`, actual: fmt(forecastRatio), met: forecastRatio <= FORECAST_TARGET },
    ],
    notes: [
      `Seeded straight into DynamoDB Local (BatchWriteItem, 25 per request, 8 in parallel): deal items from \`newDeal\`/\`applyDealPatch\` through \`dealItem\` (index keys included), and the board aggregates as each deal's \`aggregateUpdates\` leave them (folded in memory). Customer profiles, history entries and outbox items are not seeded: the board and the forecast never read them.`,
      `Board p50 / p50 of its own ${columns + 2} requests sent bare (diagnostic row): ${fmt(ratio(latency.board, latency.fanOut))}; the rest is the API hop (HTTP, JWT, Lambda host, middy), the document client and building the response.`,
      'Both phases check the board (count, amounts per currency and the 20 soonest deals of every column) and the forecast totals of both groupings against the seeded deals; the benchmark fails on any difference.',
      'Requests and read units come from a first runtime started with --count-requests; latency from a second one without it (the counting proxy buffers and parses every response, which would slow the API path only). The bare Queries use the low-level SDK client straight to DynamoDB Local; their read units are what DynamoDB Local reports with ReturnConsumedCapacity TOTAL.',
    ],
  };
}
