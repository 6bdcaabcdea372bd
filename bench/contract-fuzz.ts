import { breaksContract, fuzzRequests, isPublic, MIN_REQUESTS_PER_OPERATION, prepareFuzz, sendFuzz } from '../test/integration/api/contract-fuzz-cases';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt } from './benchmark';
import { startRuntime } from './local-stack';

const SEED = 20261206;
const CONCURRENCY = 4;

export const contractFuzzBenchmark: Benchmark = {
  name: 'contract-fuzz',
  title: 'Contract fuzz: malformed requests never answer 5xx',
  run: runContractFuzz,
};

/**
 * Issue "Platform", item 3, measured: every operation of the served OpenAPI document gets its
 * seeded malformed requests (the integration test's generator: bad path ids and escapes, forged
 * cursors, wrong types, NUL and lone surrogates, deep nesting, wrong media types, oversized
 * bodies...). Every answer must be 4xx problem+json; the figure is the count of 5xx.
 */
export async function runContractFuzz(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const runtime = await startRuntime(ctx.rootDir, [], []);
  try {
    const { apiUrl } = runtime.stack;
    const { doc, token, fixtures } = await prepareFuzz(apiUrl, 'benchfuzz');
    const requests = fuzzRequests(doc, fixtures, SEED);
    ctx.log(`${requests.length} requests over ${Object.values(doc.paths).flatMap((item) => Object.keys(item)).length} operations`);
    const started = performance.now();
    const results = await sendFuzz(apiUrl, requests, (operation) => (isPublic(doc, operation) ? undefined : token), CONCURRENCY);
    const ms = performance.now() - started;

    const byOperation = new Map<string, { requests: number; serverErrors: number; otherBreaks: number }>();
    for (const r of results) {
      const row = byOperation.get(r.request.operation) ?? { requests: 0, serverErrors: 0, otherBreaks: 0 };
      row.requests++;
      if (r.status >= 500) row.serverErrors++;
      else if (breaksContract(r, !isPublic(doc, r.request.operation))) row.otherBreaks++;
      byOperation.set(r.request.operation, row);
    }
    const serverErrors = results.filter((r) => r.status >= 500);
    const otherBreaks = results.filter((r) => r.status < 500 && breaksContract(r, !isPublic(doc, r.request.operation)));
    const fewest = Math.min(...[...byOperation.values()].map((r) => r.requests));
    const statuses: Record<string, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;

    return {
      figures: {
        seed: SEED,
        concurrency: CONCURRENCY,
        operations: byOperation.size,
        requests: results.length,
        fewestRequestsPerOperation: fewest,
        serverErrors: serverErrors.length,
        notProblemJson4xx: otherBreaks.length,
        statuses,
        durationMs: Math.round(ms),
        failures: [...serverErrors, ...otherBreaks].map((r) => `${r.status} ${r.request.operation}: ${r.request.what}`),
      },
      tables: [
        {
          title: `${results.length} malformed requests over ${byOperation.size} operations (seed ${SEED}, ${CONCURRENCY} at a time, ${fmt(ms / 1000, 1)} s)`,
          columns: ['Answers', 'Count'],
          rows: Object.entries(statuses).map(([status, count]) => [status, String(count)]),
        },
        {
          title: 'Operations with a request that broke the contract',
          columns: ['Operation', 'Requests', '5xx', 'Other than 4xx problem+json with nosniff (and no-store to a token)'],
          rows: [...byOperation.entries()].filter(([, r]) => r.serverErrors || r.otherBreaks).map(([op, r]) => [op, String(r.requests), String(r.serverErrors), String(r.otherBreaks)]),
        },
      ],
      reach: [
        { subject: 'contract fuzz: 5xx responses', target: '0', actual: String(serverErrors.length), met: serverErrors.length === 0 },
        {
          subject: 'contract fuzz: malformed requests per operation (fewest)',
          target: `at least ${MIN_REQUESTS_PER_OPERATION}`,
          actual: String(fewest),
          met: fewest >= MIN_REQUESTS_PER_OPERATION,
        },
        {
          subject: 'contract fuzz: other answers than 4xx problem+json with nosniff (and no-store to a token)',
          target: '0',
          actual: String(otherBreaks.length),
          met: otherBreaks.length === 0,
        },
      ],
      notes: ['The requests are those of test/integration/api/contract-fuzz.test.ts (same generator, same seed), sent over HTTP to the local runtime with a token of every group.'],
    };
  } finally {
    await runtime.stop();
  }
}
