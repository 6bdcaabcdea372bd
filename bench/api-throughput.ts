import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LocalTokens } from '../local/local-tokens';
import { keys } from '../shared/keys';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';
import { combine, type LoadResult, runClosedLoop } from './load';
import { childPids, cpuMeter, cpuMsOf, machineBusyMs, selfCpuMs } from './measure/proc-cpu';
import { type ProfileSummary, summarizeCpuProfile } from './measure/profile';
import { httpGet } from './measure/http-get';
import { createCustomer, expectOk, issueToken, startRuntime } from './local-stack';

/** Target ("Reach"): the API path keeps at least this share of raw DynamoDB Local throughput. */
export const MIN_RATIO = 0.7;
const CONCURRENCY = 16;
const MEASURE_MS = 10_000;
const DIAGNOSTIC_MS = 3_000;
const IDLE_MS = 3_000;
const WARM_WINDOW_MS = 2_000;
const RAW_WARM = { minMs: 12_000, maxMs: 40_000 };
// The runtime warms more slowly than the raw client (a JIT over every handler module it runs): on
// Node 22 a 6 s floor let it stop on a slow climb (409, 453, 468 ops/s, then 1,049 measured).
const API_WARM = { minMs: 16_000, maxMs: 40_000 };
const QUICK_WARM = { minMs: 0, maxMs: 0 };
/** Measurement order: each path twice, half the duration each time. */
const SEGMENTS: PhaseName[] = ['api', 'raw', 'raw', 'api'];
const TENANT = 'bench';
const JWT_SAMPLE = 1000;


export const apiThroughputBenchmark: Benchmark = {
  name: 'api-throughput',
  title: 'API throughput vs raw DynamoDB Local',
  run: runApiThroughput,
};

/**
 * GET /customers/{id} through the local runtime (HTTP server, JWT verification, Lambda host,
 * middy, repository, DynamoDB Local) against a raw GetItem of the same item on the same DynamoDB
 * Local: same concurrency, same total duration, interleaved API-raw-raw-API after each path has
 * been warmed until stable. Also reports where the CPU goes (client, runtime, DynamoDB Local).
 */
export async function runApiThroughput(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const measureMs = ctx.quick ? 2_000 : MEASURE_MS;
  const diagnosticMs = ctx.quick ? 1_000 : DIAGNOSTIC_MS;
  const idleMs = ctx.quick ? 1_000 : IDLE_MS;
  const profileDir = join(ctx.tmpDir, 'profiles');
  if (ctx.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }

  ctx.log('starting the local runtime (node --import tsx local/main.ts --memory --port 0 --json)');
  const runtime = await startRuntime(ctx.rootDir, ctx.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  const dynamo = new DynamoDBClient({
    endpoint: runtime.stack.dynamoDbEndpoint,
    region: 'local-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Who pays for a request: this process (client), the runtime (node) and DynamoDB Local (java).
  const javaPid = childPids(runtime.pid, /java/)[0];
  const meter = cpuMeter({
    client: selfCpuMs,
    runtime: () => cpuMsOf(runtime.pid),
    dynamodbLocal: () => (javaPid ? cpuMsOf(javaPid) : undefined),
    wholeMachine: machineBusyMs,
  });
  const phases: Partial<Record<PhaseName, Phase>> = {};
  /** CPU ms per second of each participant with no requests in flight. */
  let idle: Record<string, number> = {};
  let warmUp: Record<string, unknown> = {};
  let customerId: string;
  try {
    const { apiUrl, tableName } = runtime.stack;
    const token = await issueToken(apiUrl, TENANT);
    customerId = await createCustomer(apiUrl, token);
    // Let the customer's outbox event run its course (bus, welcome flow, email) before measuring.
    await expectOk(await fetch(`${apiUrl}/_local/settle`, { method: 'POST' }), 'POST /_local/settle');
    ctx.log(`prepared customer ${customerId} of tenant ${TENANT}`);

    const customerUrl = `${apiUrl}/customers/${encodeURIComponent(customerId)}`;
    const headers = { authorization: `Bearer ${token}` };
    const key = keys.customer(TENANT, customerId);
    const getItem = () => new GetItemCommand({ TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } } });
    const ops: Record<PhaseName, () => Promise<void>> = {
      api: async () => {
        const res = await httpGet(customerUrl, headers);
        if (res.status !== 200) throw new Error(`GET /customers/{id}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      },
      raw: async () => {
        const out = await dynamo.send(getItem());
        if (!out.Item) throw new Error(`GetItem ${key.PK}/${key.SK}: no item`);
      },
      health: async () => {
        const res = await httpGet(`${apiUrl}/health`, {});
        if (res.status !== 200) throw new Error(`GET /health: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      },
    };
    // Both paths must see the very same item before anything is timed.
    const probe = await dynamo.send(getItem());
    if (probe.Item?.id?.S !== customerId) throw new Error(`raw GetItem did not return customer ${customerId}`);

    // DynamoDB Local's JVM needs some 20k requests before its JIT settles (raw throughput keeps
    // rising for ~20 s), and the runtime's handler and SDK client need their own: warm raw reads,
    // then the API, each until three 2 s windows in a row agree (or a cap). Without this the
    // path measured first looks much worse than it is.
    ctx.log(`warm-up at C=${CONCURRENCY}: raw GetItem, then GET /customers/{id}, each in ${WARM_WINDOW_MS / 1000} s windows until stable`);
    const warmRaw = await warmUntilStable(ops.raw, ctx.quick ? QUICK_WARM : RAW_WARM);
    ctx.log(`  raw ops/s per window: ${warmRaw.windows.map((w) => fmt(w, 0)).join(', ')}`);
    const warmApi = await warmUntilStable(ops.api, ctx.quick ? QUICK_WARM : API_WARM);
    ctx.log(`  api ops/s per window: ${warmApi.windows.map((w) => fmt(w, 0)).join(', ')}`);
    await warmUntilStable(ops.health, QUICK_WARM);
    warmUp = { rawWindowsOpsPerSec: warmRaw.windows.map((w) => round(w, 0)), rawMs: warmRaw.ms, apiWindowsOpsPerSec: warmApi.windows.map((w) => round(w, 0)), apiMs: warmApi.ms };

    // What the runtime (stream poller) and DynamoDB Local burn with no request in flight.
    const stopIdle = meter.start();
    const idleFrom = performance.now();
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    const idleCpu = stopIdle();
    const idleSeconds = (performance.now() - idleFrom) / 1000;
    idle = Object.fromEntries(Object.entries(idleCpu).map(([k, v]) => [k, v / idleSeconds]));
    ctx.log(`idle background: runtime ${fmt(idle.runtime ?? NaN, 0)} ms CPU/s, DynamoDB Local ${fmt(idle.dynamodbLocal ?? NaN, 0)} ms CPU/s`);

    // API and raw in ABBA order (two halves each), so a drift left after the warm-up cancels out.
    ctx.log(`measuring: ${measureMs} ms per path at C=${CONCURRENCY}, order ${SEGMENTS.join(', ')}; then ${diagnosticMs} ms of GET /health`);
    const segments: Record<PhaseName, Segment[]> = { api: [], raw: [], health: [] };
    const plan: [PhaseName, number][] = [...SEGMENTS.map((name): [PhaseName, number] => [name, measureMs / 2]), ['health', diagnosticMs]];
    for (const [name, durationMs] of plan) {
      const stopMeter = meter.start();
      const fromUs = monotonicUs();
      const load = await runClosedLoop(ops[name], { concurrency: CONCURRENCY, durationMs, keepSamples: true });
      const cpuMs = stopMeter();
      segments[name].push({ load, cpuMs, window: { fromUs, toUs: monotonicUs() } });
      const others = Math.max(0, (cpuMs.wholeMachine ?? NaN) - (cpuMs.client ?? NaN) - (cpuMs.runtime ?? NaN) - (cpuMs.dynamodbLocal ?? NaN));
      ctx.log(`  ${name.padEnd(6)} ${fmt(load.opsPerSec, 0)} ops/s, p50 ${fmt(load.latencyMs.p50)} ms, errors ${load.errors}, other processes ${fmt((others / (load.durationMs * cpus().length)) * 100, 0)} % of the cores`);
    }
    for (const name of ['api', 'raw', 'health'] as const) {
      const parts = segments[name];
      const cpuMs: Record<string, number> = {};
      for (const part of parts) for (const [k, v] of Object.entries(part.cpuMs)) cpuMs[k] = (cpuMs[k] ?? 0) + v;
      const { samples: _samples, ...load } = combine(parts.map((p) => p.load));
      phases[name] = { load, cpuMs, windows: parts.map((p) => p.window), segmentOpsPerSec: parts.map((p) => p.load.opsPerSec) };
      ctx.log(`  ${name.padEnd(6)} total: ${fmt(load.opsPerSec, 0)} ops/s, CPU/op ${cpuPerOpText(phases[name]!)}`);
    }
  } finally {
    dynamo.destroy();
    await runtime.stop();
  }

  ctx.log(`diagnostic: JWT verification alone (local/local-tokens.ts LocalTokens.verify, in this process, C=${CONCURRENCY})`);
  const jwt = await measureJwtVerify(diagnosticMs);

  const { api, raw, health } = phases as Record<PhaseName, Phase>;
  const ratio = raw.load.opsPerSec > 0 ? api.load.opsPerSec / raw.load.opsPerSec : Number.NaN;
  const cores = cpus().length;
  const row = (label: string, p: Phase) => [
    label,
    fmt(p.load.opsPerSec, 0),
    fmt(p.load.latencyMs.p50),
    fmt(p.load.latencyMs.p95),
    fmt(p.load.latencyMs.p99),
    String(p.load.ops),
    String(p.load.errors),
    `${fmt(p.load.durationMs / 1000, 1)} s`,
  ];
  const cpuRow = (label: string, p: Phase) => {
    const per = cpuPerOp(p);
    const ours = (p.cpuMs.client ?? NaN) + (p.cpuMs.runtime ?? NaN) + (p.cpuMs.dynamodbLocal ?? NaN);
    const share = (ms: number) => `${fmt((ms / (p.load.durationMs * cores)) * 100, 0)} %`;
    return [
      label,
      fmt(per.client * 1000, 0),
      fmt(per.runtime * 1000, 0),
      fmt(per.dynamodbLocal * 1000, 0),
      fmt(per.total * 1000, 0),
      share(ours),
      share(Math.max(0, (p.cpuMs.wholeMachine ?? NaN) - ours)),
    ];
  };
  const figure = (p: Phase) => ({
    ops: p.load.ops,
    errors: p.load.errors,
    firstError: p.load.firstError,
    durationMs: round(p.load.durationMs, 1),
    opsPerSec: round(p.load.opsPerSec, 1),
    segmentOpsPerSec: p.segmentOpsPerSec.map((v) => round(v, 1)),
    latencyMs: Object.fromEntries(Object.entries(p.load.latencyMs).map(([k, v]) => [k, round(v, 3)])),
    cpuMs: Object.fromEntries(Object.entries(p.cpuMs).map(([k, v]) => [k, round(v, 0)])),
    cpuUsPerOp: Object.fromEntries(Object.entries(cpuPerOp(p)).map(([k, v]) => [k, round(v * 1000, 1)])),
  });

  const notes = [
    `Closed loop, C=${CONCURRENCY} workers in the benchmark process. Warm-up, each path until three ${WARM_WINDOW_MS / 1000} s windows agree within 10 % and stop climbing: raw ${fmt(Number(warmUp.rawMs) / 1000, 0)} s (DynamoDB Local's JIT), API ${fmt(Number(warmUp.apiMs) / 1000, 0)} s. Then ${measureMs / 1000} s per path in ABBA order (API, raw, raw, API; segment ops/s in the JSON). Client, runtime and DynamoDB Local (Java) share the ${cores} cores of this machine.`,
    '`GET /health` (no JWT, no DynamoDB) is a diagnostic row: the cost of the local HTTP hop, Lambda host and middy alone. Not a target.',
    `CPU per request = CPU time (user + system, all threads, from /proc) each process used during the phase ÷ requests served. "Cores busy" = CPU time as a share of the machine's ${cores} cores during the phase, for these three processes (background included) and for everything else on the machine (/proc/stat): the latter should be near 0 %. Idle background (no requests; the runtime's stream poller backs off to one poll a second): runtime ${fmt(idle.runtime ?? NaN, 0)} ms CPU/s, DynamoDB Local ${fmt(idle.dynamodbLocal ?? NaN, 0)} ms CPU/s.`,
    `JWT first verification alone (the runtime caches a verified token until it expires): \`LocalTokens.verify\` (jose, WebCrypto RS256) on ${JWT_SAMPLE} distinct tokens in the benchmark process, C=${CONCURRENCY}: ${fmt(jwt.opsPerSec, 0)} ops/s, ${fmt(jwt.cpuUsPerOp, 0)} µs CPU per verification.`,
  ];

  let profile: { api: ProfileSummary; raw: ProfileSummary } | undefined;
  if (ctx.profile) {
    // --cpu-prof names files CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
    const file = readdirSync(profileDir).find((f) => f.includes(`.${runtime.pid}.0.`) && f.endsWith('.cpuprofile'));
    if (file) {
      profile = { api: summarizeCpuProfile(join(profileDir, file), api.windows), raw: summarizeCpuProfile(join(profileDir, file), raw.windows) };
      writeFileSync(join(ctx.tmpDir, 'runtime-profile-summary.json'), JSON.stringify(profile, null, 2));
      ctx.log(`runtime main-thread CPU profile during the API phase (${join(profileDir, file)}):`);
      for (const c of profile.api.categories.slice(0, 16)) ctx.log(`  ${c.name.padEnd(48)} ${fmt(c.ms, 0).padStart(7)} ms ${fmt(c.percent, 1).padStart(5)} %`);
      ctx.log('  top self-time functions:');
      for (const f of profile.api.topFunctions) ctx.log(`  ${f.name.slice(0, 100).padEnd(100)} ${fmt(f.ms, 0).padStart(7)} ms ${fmt(f.percent, 1).padStart(5)} %`);
    } else ctx.log('no main-thread CPU profile was written by the runtime');
    notes.push('Profiled run (`--profile`): figures include the profiler overhead.');
  }

  return {
    figures: {
      method: { concurrency: CONCURRENCY, measureMs, diagnosticMs, idleMs, tenant: TENANT, customerId: customerId!, order: [...SEGMENTS, 'health'], warmUp },
      targets: { minRatio: MIN_RATIO },
      api: figure(api),
      raw: figure(raw),
      ratio: round(ratio, 3),
      idleBackgroundCpuMsPerSec: Object.fromEntries(Object.entries(idle).map(([k, v]) => [k, round(v, 0)])),
      diagnostics: { health: figure(health), jwtVerify: { opsPerSec: round(jwt.opsPerSec, 0), cpuUsPerOp: round(jwt.cpuUsPerOp, 1), latencyMs: round(jwt.p50, 3) } },
      ...(profile ? { runtimeProfile: profile } : {}),
    },
    tables: [
      {
        columns: ['Path', 'ops/s', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'ops', 'errors', 'duration'],
        rows: [
          row('API `GET /customers/{id}` (node:http keep-alive, JWT)', api),
          row('Raw `GetItem` (SDK v3, same item)', raw),
          row('Diagnostic: API `GET /health`', health),
        ],
      },
      {
        columns: ['Ratio', 'Value', 'Target', 'Reach'],
        rows: [['API ops/s ÷ raw ops/s', fmt(ratio), `>= ${MIN_RATIO}`, ratio >= MIN_RATIO ? 'met' : 'missed']],
      },
      {
        title: 'CPU per request (µs), by process (gross: idle background included)',
        columns: ['Path', 'client (bench)', 'runtime (node)', 'DynamoDB Local (java)', 'total', 'cores busy: these 3', 'cores busy: other processes'],
        rows: [
          cpuRow('API `GET /customers/{id}`', api),
          cpuRow('Raw `GetItem`', raw),
          cpuRow('API `GET /health`', health),
        ],
      },
    ],
    reach: [
      { subject: 'API/raw throughput ratio', target: `>= ${MIN_RATIO}`, actual: fmt(ratio), met: ratio >= MIN_RATIO },
      { subject: 'API errors', target: '0', actual: `${api.load.errors}${api.load.firstError ? ` (${api.load.firstError})` : ''}`, met: api.load.errors === 0 },
      { subject: 'raw GetItem errors', target: '0', actual: `${raw.load.errors}${raw.load.firstError ? ` (${raw.load.firstError})` : ''}`, met: raw.load.errors === 0 },
    ],
    notes,
  };
}

type PhaseName = 'api' | 'raw' | 'health';

interface Segment {
  load: LoadResult;
  /** CPU milliseconds per participant during the segment. */
  cpuMs: Record<string, number>;
  /** The segment in CLOCK_MONOTONIC microseconds, to cut a CPU profile to it. */
  window: { fromUs: number; toUs: number };
}

interface Phase {
  /** All segments of one path together. */
  load: LoadResult;
  cpuMs: Record<string, number>;
  windows: { fromUs: number; toUs: number }[];
  segmentOpsPerSec: number[];
}

/**
 * Runs `op` in 2 s windows, for at least `minMs`, until the last three windows agree or `maxMs`
 * has passed (one window at least). Any error aborts: a path that fails while warming is broken.
 */
async function warmUntilStable(op: () => Promise<void>, limits: { minMs: number; maxMs: number }): Promise<{ windows: number[]; ms: number }> {
  const windows: number[] = [];
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  do {
    const warm = await runClosedLoop(op, { concurrency: CONCURRENCY, durationMs: WARM_WINDOW_MS });
    if (warm.errors) throw new Error(`warm-up failed: ${warm.errors} errors, first: ${warm.firstError}`);
    windows.push(warm.opsPerSec);
  } while (elapsed() < limits.maxMs && !(elapsed() >= limits.minMs && stable(windows.slice(-3))));
  return { windows, ms: Math.round(elapsed()) };
}

/**
 * Three warm-up windows agree when each is within 10 % of their mean and they are not still
 * climbing (the last no more than 5 % above the first): a steady rise can fit in 10 % of a mean.
 */
function stable(windows: number[]): boolean {
  if (windows.length < 3) return false;
  const mean = windows.reduce((a, b) => a + b, 0) / windows.length;
  const climbing = windows.at(-1)! > windows[0]! * 1.05 && windows.every((w, i) => i === 0 || w >= windows[i - 1]!);
  return !climbing && windows.every((w) => Math.abs(w - mean) <= 0.1 * mean);
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * CPU milliseconds per successful request, per participant and in total, gross: the idle
 * background is not subtracted (under load it is not constant, so subtracting it misleads).
 */
function cpuPerOp(p: Phase): { client: number; runtime: number; dynamodbLocal: number; total: number } {
  const n = Math.max(1, p.load.ops);
  const perOp = (name: string) => (p.cpuMs[name] ?? Number.NaN) / n;
  const client = perOp('client');
  const runtime = perOp('runtime');
  const dynamodbLocal = perOp('dynamodbLocal');
  return { client, runtime, dynamodbLocal, total: client + runtime + dynamodbLocal };
}

/** LocalTokens.verify (what the local HTTP API runs per JWT route) alone, in this process. */
async function measureJwtVerify(durationMs: number): Promise<{ opsPerSec: number; cpuUsPerOp: number; p50: number }> {
  // Distinct tokens, each verified once: the signature check the runtime does on a token's first
  // use (later uses hit its cache of verified tokens and cost ~1 µs).
  const tokens = await LocalTokens.create();
  const distinct = await Promise.all(Array.from({ length: JWT_SAMPLE }, (_, i) => tokens.issue({ sub: `rep-${i}`, tenantId: TENANT, groups: ['rep'] })));
  let next = 0;
  const before = process.cpuUsage();
  const r = await runClosedLoop(
    async () => {
      if (!(await tokens.verify(distinct[next++]!))) throw new Error('token did not verify');
    },
    { concurrency: CONCURRENCY, durationMs, maxOps: JWT_SAMPLE },
  );
  const used = process.cpuUsage(before);
  if (r.errors) throw new Error(`JWT verify diagnostic: ${r.firstError}`);
  return { opsPerSec: r.opsPerSec, cpuUsPerOp: (used.user + used.system) / Math.max(1, r.ops), p50: r.latencyMs.p50 };
}

function cpuPerOpText(p: Phase): string {
  const c = cpuPerOp(p);
  return `${fmt(c.total * 1000, 0)} µs (client ${fmt(c.client * 1000, 0)}, runtime ${fmt(c.runtime * 1000, 0)}, java ${fmt(c.dynamodbLocal * 1000, 0)})`;
}
