/**
 * A closed-loop load runner: `concurrency` workers each await one operation, record its latency,
 * and start the next, until `maxOps` operations have started or `durationMs` has passed. The
 * offered load therefore adapts to the system under test (no coordinated-omission correction is
 * needed or attempted: latency here is service time as a waiting client sees it).
 */

export interface LoadOptions {
  concurrency: number;
  /** Stop starting operations after this long. At least one of durationMs / maxOps is required. */
  durationMs?: number;
  /** Stop after this many operations have been started (successful or not). */
  maxOps?: number;
  /** Keep every latency in `samples`, so that runs can be combined later (see `combine`). */
  keepSamples?: boolean;
}

export interface LatencySummary {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  concurrency: number;
  /** Successful operations. */
  ops: number;
  errors: number;
  /** The first error's message, to say why a run failed. */
  firstError?: string;
  /** Wall time from the first start to the last completion. */
  durationMs: number;
  /** Successful operations per second of wall time. */
  opsPerSec: number;
  /** Latency of successful operations, milliseconds. */
  latencyMs: LatencySummary;
  /** Every successful operation's latency, when `keepSamples` was set. */
  samples?: number[];
}

/** `op` gets the worker index; it throws (or rejects) to count as an error. */
export async function runClosedLoop(op: (worker: number) => Promise<void>, options: LoadOptions): Promise<LoadResult> {
  const { concurrency } = options;
  if (!(concurrency >= 1)) throw new RangeError('concurrency must be >= 1');
  if (options.durationMs === undefined && options.maxOps === undefined) throw new RangeError('give durationMs or maxOps');
  const maxOps = options.maxOps ?? Number.POSITIVE_INFINITY;
  const start = performance.now();
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : start + options.durationMs;

  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (index: number) => {
    while (started < maxOps && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
        await op(index);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  const durationMs = performance.now() - start;

  return {
    concurrency,
    ops: latencies.length,
    errors,
    firstError,
    durationMs,
    opsPerSec: durationMs > 0 ? (latencies.length * 1000) / durationMs : 0,
    latencyMs: summarize(latencies),
    ...(options.keepSamples ? { samples: latencies } : {}),
  };
}

/**
 * One result from several runs of the same operation (e.g. interleaved segments): operations and
 * wall time add up, percentiles come from all samples. Every run must have kept its samples.
 */
export function combine(results: LoadResult[]): LoadResult {
  const samples = results.flatMap((r) => {
    if (!r.samples) throw new Error('combine() needs runs made with keepSamples');
    return r.samples;
  });
  const durationMs = results.reduce((sum, r) => sum + r.durationMs, 0);
  const ops = samples.length;
  return {
    concurrency: results[0]?.concurrency ?? 0,
    ops,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
    durationMs,
    opsPerSec: durationMs > 0 ? (ops * 1000) / durationMs : 0,
    latencyMs: summarize(samples),
    samples,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    min: n ? sorted[0]! : Number.NaN,
    mean: n ? sum / n : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: n ? sorted[n - 1]! : Number.NaN,
  };
}
