import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { keys } from '../shared/keys';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';
import { type LoadResult, runClosedLoop } from './load';
import { expectOk, startRuntime } from './local-stack';

const TENANT = 'benchsearch';
const CUSTOMERS = 400;
const SAMPLES = 200;
const PAGE = 20;
const LOCAL = { region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** Names from a small vocabulary, so a prefix matches many customers and pages go on. */
const FIRST = ['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip', 'Litware', 'Adventure', 'Proseware', 'Trey', 'Margie'];
const SECOND = ['Traders', 'Trading', 'Travel', 'Toys', 'Systems', 'Solutions', 'Works', 'Partners'];

/** The searches whose pages are counted: a word prefix (several pages), an email, phones, a domain. */
const SEARCHES = ['tra', 'buyer-7@', '+44 20 7946 0007', '020 7946 0007', 'customer-3.example'];

type Counts = Record<string, { requests: number; readCapacityUnits: number; writeCapacityUnits: number }>;

export const searchBenchmark: Benchmark = {
  name: 'search',
  title: 'Search: requests per page and latency against a bare Query',
  run: runSearch,
};

/** A runtime with CUSTOMERS customers created through the API, indexed by the stream consumer. */
async function seededRuntime(ctx: BenchContext, count: number, countRequests: boolean) {
  const runtime = await startRuntime(ctx.rootDir, [], countRequests ? ['--count-requests'] : []);
  try {
    const { apiUrl } = runtime.stack;
    const post = async (path: string, body: unknown, token?: string) =>
      (await expectOk(
        await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) }),
        `POST ${path}`,
      )) as Record<string, unknown>;
    const token = String((await post('/_local/tokens', { sub: 'admin-1', tenantId: TENANT, groups: ['admin'] })).token);
    ctx.log(`creating ${count} customers through the API`);
    let next = 0;
    const seeded = await runClosedLoop(
      async () => {
        const i = next++;
        await post(
          '/customers',
          {
            kind: 'company',
            name: `${FIRST[i % FIRST.length]} ${SECOND[Math.floor(i / FIRST.length) % SECOND.length]} ${i}`,
            emails: [`buyer-${i}@customer-${i}.example`],
            phones: [`+44 20 7946 ${String(i).padStart(4, '0')}`],
          },
          token,
        );
      },
      { concurrency: 8, maxOps: count },
    );
    if (seeded.errors) throw new Error(`seeding failed: ${seeded.firstError}`);
    await post('/_local/settle', {});
    return { runtime, token };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}

/**
 * `GET /search` measured: DynamoDB requests per page, counted at DynamoDB Local (a first runtime
 * with --count-requests), and the p50 latency of a page next to a bare Query of the same index
 * partition with the same key condition and Limit (a second runtime without the counting proxy).
 */
export async function runSearch(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const count = ctx.quick ? 100 : CUSTOMERS;
  const samples = ctx.quick ? 30 : SAMPLES;

  // Phase 1: requests per page, following the cursor to the end.
  const pages: { q: string; page: number; items: number; counts: Counts }[] = [];
  {
    const { runtime, token } = await seededRuntime(ctx, count, true);
    try {
      const { apiUrl } = runtime.stack;
      for (const q of SEARCHES) {
        let cursor: string | null = null;
        for (let page = 1; page === 1 || cursor; page++) {
          await fetch(`${apiUrl}/_local/dynamodb-requests/reset`, { method: 'POST' });
          const url = `${apiUrl}/search?q=${encodeURIComponent(q)}&limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`;
          const body = (await expectOk(await fetch(url, { headers: { authorization: `Bearer ${token}` } }), `GET /search?q=${q}`)) as { items: unknown[]; cursor: string | null };
          const counts = ((await (await fetch(`${apiUrl}/_local/dynamodb-requests`)).json()) as { operations: Counts }).operations;
          pages.push({ q, page, items: body.items.length, counts });
          cursor = body.cursor;
        }
      }
    } finally {
      await runtime.stop();
    }
  }

  // Phase 2: latency, API page vs bare Query.
  let apiLatency: LoadResult;
  let bareLatency: LoadResult;
  {
    const { runtime, token } = await seededRuntime(ctx, count, false);
    try {
      const { apiUrl, dynamoDbEndpoint, tableName } = runtime.stack;
      const dynamo = new DynamoDBClient({ endpoint: dynamoDbEndpoint, ...LOCAL });
      const prefix = 'tra';
      const page = async () => {
        await expectOk(await fetch(`${apiUrl}/search?q=${prefix}&limit=${PAGE}`, { headers: { authorization: `Bearer ${token}` } }), 'GET /search');
      };
      const bare = async () => {
        await dynamo.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
            ExpressionAttributeValues: { ':pk': { S: keys.searchShard(TENANT, prefix) }, ':prefix': { S: prefix } },
            Limit: PAGE,
          }),
        );
      };
      ctx.log(`latency: GET /search vs bare Query, ${samples} sequential requests each`);
      await runClosedLoop(page, { concurrency: 1, maxOps: 50 });
      await runClosedLoop(bare, { concurrency: 1, maxOps: 50 });
      apiLatency = await runClosedLoop(page, { concurrency: 1, maxOps: samples });
      bareLatency = await runClosedLoop(bare, { concurrency: 1, maxOps: samples });
      dynamo.destroy();
    } finally {
      await runtime.stop();
    }
  }

  const requestsOf = (c: Counts) => Object.values(c).reduce((sum, op) => sum + op.requests, 0);
  const maxRequests = Math.max(...pages.map((p) => requestsOf(p.counts)));
  const onlyQueries = pages.every((p) => requestsOf(p.counts) === 1 && p.counts.Query?.requests === 1);
  const ratio = apiLatency.latencyMs.p50 / bareLatency.latencyMs.p50;
  const row = (label: string, r: LoadResult) => [label, fmt(r.latencyMs.p50), fmt(r.latencyMs.p95), fmt(r.latencyMs.p99), String(r.ops)];

  return {
    figures: {
      customers: count,
      pageSize: PAGE,
      pages: pages.map((p) => ({ q: p.q, page: p.page, items: p.items, requests: p.counts })),
      latency: { search: apiLatency.latencyMs, bareQuery: bareLatency.latencyMs, p50Ratio: round(ratio, 3) },
    },
    tables: [
      {
        title: `DynamoDB requests per page of GET /search (${count} customers, limit ${PAGE}, every page to the end)`,
        columns: ['q', 'pages', 'items', 'requests per page', 'read units per page (max)'],
        rows: SEARCHES.map((q) => {
          const mine = pages.filter((p) => p.q === q);
          const units = (c: Counts) => Object.values(c).reduce((s, op) => s + op.readCapacityUnits, 0);
          return [q, String(mine.length), String(mine.reduce((s, p) => s + p.items, 0)), [...new Set(mine.map((p) => requestsOf(p.counts)))].join(', '), fmt(Math.max(...mine.map((p) => units(p.counts))), 1)];
        }),
      },
      {
        title: `GET /search?q=tra&limit=${PAGE} vs a bare Query of the same index partition, sequential`,
        columns: ['Path', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'requests'],
        rows: [row('GET /search (HTTP API, JWT, handler, filter)', apiLatency), row('bare Query, same key condition and Limit (SDK)', bareLatency)],
      },
    ],
    reach: [
      { subject: 'DynamoDB requests per search page', target: '1 Query', actual: onlyQueries ? '1 Query on every page' : `up to ${maxRequests}`, met: onlyQueries },
      { subject: 'search p50 / bare Query p50', target: '<= 1.5', actual: fmt(ratio, 2), met: ratio <= 1.5 },
    ],
    notes: [
      'Requests come from a first runtime started with --count-requests; latency from a second one without it (the counting proxy would slow the API path only). Both seed the customers through the API and wait until the stream consumer has indexed them.',
      'The bare Query is the low-level SDK client straight to DynamoDB Local, without the visibility filter (an admin has none) and without HTTP, JWT verification or the Lambda host: the ratio is what the API path adds to the one Query a page costs.',
    ],
  };
}
