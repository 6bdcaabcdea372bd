import os from 'node:os';

/**
 * The contract between `run.ts` and a benchmark module. A new benchmark exports one `Benchmark`
 * and is added to the list in `run.ts`; `report.ts` renders any outcome generically.
 */
export interface BenchContext {
  /** The repository root (absolute). */
  rootDir: string;
  /** Scratch space for this benchmark, under bench/.tmp/ (gitignored). */
  tmpDir: string;
  /** `--quick`: shorter runs for iterating on the harness; nothing is written to results/docs. */
  quick: boolean;
  /** `--profile`: benchmarks that can, also collect CPU profiles (under tmpDir). */
  profile: boolean;
  log(message: string): void;
}

/** One target ("Reach"): what it applies to, the target, what was measured, whether it was met. */
export interface ReachCheck {
  subject: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface ResultTable {
  title?: string;
  columns: string[];
  rows: string[][];
}

export interface BenchmarkOutcome {
  /** Raw figures, machine-readable (written to bench/results/<name>.json as is). */
  figures: Record<string, unknown>;
  /** What the markdown report shows. */
  tables: ResultTable[];
  reach: ReachCheck[];
  /** Short remarks shown under the tables (method caveats, diagnostics). */
  notes?: string[];
}

export interface Benchmark {
  /** File name in bench/results/ and CLI selector: `npm run bench -- <name>`. */
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchmarkOutcome>;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  arch: string;
  totalMemoryGiB: number;
}

/** The record committed to bench/results/<name>.json. */
export interface BenchmarkRecord extends BenchmarkOutcome {
  benchmark: string;
  title: string;
  date: string;
  machine: MachineInfo;
  /** Wall time of the whole benchmark, including setup. */
  wallTimeMs: number;
  /** os.loadavg() (1, 5, 15 min) when the benchmark started and ended: other work on the machine skews figures. */
  loadAverage: { start: number[]; end: number[] };
  /** True when every reach check was met. */
  reached: boolean;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    arch: process.arch,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Rounds for display and for the committed JSON (sub-microsecond noise is not a figure). */
export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const fmt = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Runs `work` over `items`, at most `concurrency` at once (as many concurrent Lambda invocations). */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
