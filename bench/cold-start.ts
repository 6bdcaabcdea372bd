import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { synthesizeTemplates } from '../local/synthesize';
import { readWiring } from '../local/wiring';
import { captureBundling, toBuildOptions } from './cdk-bundling';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, type ReachCheck, round } from './benchmark';
import { median } from './load';
import { ENV, type EnvName } from '../shared/runtime-env';

/** Targets ("Reach"). KB = 1024 bytes. */
export const MAX_BUNDLE_KB = 400;
export const MAX_INIT_RATIO = 1.5;
const RUNS = 15;
const QUICK_RUNS = 3;

/** The baseline every handler is compared with: the SDK client every data-path handler needs anyway. */
export const BASELINE_SOURCE = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n";

/**
 * Runs in a fresh `node` per sample: module evaluation time of the bundle, nothing else (process
 * start-up and the runtime's own bootstrap are outside the two timestamps).
 */
const INIT_PROBE = [
  'const t0 = performance.now();',
  'await import(process.env.BENCH_IMPORT_URL);',
  'const t1 = performance.now();',
  'process.stdout.write(String(t1 - t0));',
  'process.exit(0);',
].join('\n');

/** A value of the right shape for each variable the infrastructure hands to functions: ARNs look like ARNs, numbers are numbers. */
function probeValue(name: EnvName): string {
  if (name.endsWith('_ARN')) return `arn:aws:states:eu-west-1:000000000000:stateMachine:bench-${name.toLowerCase()}`;
  const values: Partial<Record<EnvName, string>> = {
    STAGE: 'bench',
    MAIL_FROM: 'no-reply@example.com',
    API_BASE_URL: 'https://api.example',
    SES_MAX_SEND_RATE: '14',
    CAMPAIGN_BATCHES_PER_EXECUTION: '1000',
    INBOUND_MAIL_DOMAIN: 'inbound.example',
  };
  return values[name] ?? `bench-${name.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * Variables the handlers read at load, plus dummy credentials; identical for every bundle and the
 * baseline. Every name of `ENV` (shared/runtime-env.ts), so a variable a new function reads at
 * load is there without touching this file (a missing one made its module throw, and the run
 * measured nothing for it).
 */
const PROBE_ENV: Record<string, string> = {
  ...Object.fromEntries(Object.values(ENV).map((name) => [name, probeValue(name)])),
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  CRM_LOG_LEVEL: 'silent',
};

interface Bundle {
  id: string;
  label: string;
  entry?: string;
  handler?: string;
  outfile: string;
  bytes: number;
  topPackages: { name: string; bytes: number }[];
  /** Non-builtin modules the bundle imports statically but does not contain. */
  staticExternals: string[];
}

/** `plain` is what the targets use; `sourceMaps` adds the flag the construct gives Lambda (informational). */
const MODES = [
  { name: 'plain', nodeArgs: [] },
  { name: 'sourceMaps', nodeArgs: ['--enable-source-maps'] },
] as const;
type ModeName = (typeof MODES)[number]['name'];

interface InitSamples {
  samples: number[];
  error?: string;
}

export const coldStartBenchmark: Benchmark = {
  name: 'cold-start',
  title: 'Cold-start proxy per Lambda',
  run: runColdStart,
};

/**
 * Cold-start proxy: every function of the synthesized app is bundled with the esbuild options CDK
 * would use for it; the bundle's size is recorded and its module init is timed in fresh `node`
 * processes, against a baseline bundle that holds only a DynamoDBClient.
 */
export async function runColdStart(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const notes: string[] = [];
  ctx.log('synthesizing the CDK app (stage local): function list and the esbuild options CDK would use');
  const { result: templates, bundlings } = captureBundling(() => synthesizeTemplates('local'));
  const wiring = readWiring(templates);
  const functions = [...wiring.functions.values()].sort((a, b) => a.entry.localeCompare(b.entry));
  if (functions.length === 0) throw new Error('The CDK app defines no CrmFunction');
  const optionsOf = (entry: string): BuildOptions => {
    const captured = bundlings.get(join(ctx.rootDir, entry));
    if (!captured) throw new Error(`CDK computed no esbuild command for ${entry}`);
    return toBuildOptions(captured.args, ctx.rootDir);
  };
  // The baseline is bundled like the functions; they all share one option set today (checked).
  const shared = optionsOf(functions[0]!.entry);
  const differing = functions.filter((fn) => JSON.stringify(optionsOf(fn.entry)) !== JSON.stringify(shared)).map((fn) => fn.entry);
  if (differing.length) notes.push(`Bundled with options that differ from ${functions[0]!.entry}'s: ${differing.join(', ')} (the baseline uses the latter).`);

  rmSync(ctx.tmpDir, { recursive: true, force: true });
  mkdirSync(ctx.tmpDir, { recursive: true });

  ctx.log(`bundling ${functions.length} functions and the baseline with esbuild`);
  const baseline = await bundle(ctx, shared, { id: 'baseline', label: 'baseline: DynamoDBClient only' }, {
    stdin: { contents: BASELINE_SOURCE, resolveDir: ctx.rootDir, sourcefile: 'bench-baseline.ts', loader: 'ts' },
  });
  const bundles: Bundle[] = [];
  for (const fn of functions) {
    bundles.push(
      await bundle(ctx, optionsOf(fn.entry), { id: fn.name, label: fn.name, entry: fn.entry, handler: fn.handler }, { entryPoints: [join(ctx.rootDir, fn.entry)] }),
    );
  }
  for (const b of bundles.filter((x) => x.staticExternals.length)) {
    notes.push(`${b.entry} imports externals at load (${b.staticExternals.join(', ')}): they resolve from node_modules here but are absent in Lambda.`);
  }

  const runs = ctx.quick ? QUICK_RUNS : RUNS;
  const all = [baseline, ...bundles];
  ctx.log(`module init: ${runs} fresh node processes per bundle and mode (+1 discarded warm-up), round-robin over ${all.length} bundles`);
  const init = new Map<string, InitSamples>(all.flatMap((b) => MODES.map((m) => [`${b.id}:${m.name}`, { samples: [] }] as const)));
  for (let round = 0; round <= runs; round++) {
    for (const b of all) {
      for (const mode of MODES) {
        const slot = init.get(`${b.id}:${mode.name}`)!;
        if (slot.error) continue;
        const result = probeInit(b.outfile, ctx.rootDir, mode.nodeArgs);
        if (typeof result === 'string') slot.error = result;
        else if (round > 0) slot.samples.push(result); // round 0 warms the page cache and is discarded
      }
    }
  }
  const samplesOf = (b: Bundle, mode: ModeName = 'plain') => init.get(`${b.id}:${mode}`)!;

  const baseInit = samplesOf(baseline);
  if (baseInit.error) throw new Error(`The baseline bundle failed to load: ${baseInit.error}`);
  const baseMedian = median(baseInit.samples);
  const stats = (s: InitSamples) =>
    s.error ? undefined : { median: median(s.samples), min: Math.min(...s.samples), max: Math.max(...s.samples), samples: s.samples };
  const initFigure = (s: InitSamples) => {
    const st = stats(s);
    return st ? { median: round(st.median, 3), min: round(st.min, 3), max: round(st.max, 3), samples: st.samples.map((v) => round(v, 3)) } : { error: s.error };
  };

  const reach: ReachCheck[] = [];
  const rows: string[][] = [];
  const b0 = stats(baseInit)!;
  const sm0 = stats(samplesOf(baseline, 'sourceMaps'));
  rows.push([baseline.label, '—', fmt(baseline.bytes / 1024, 1), fmt(b0.median), fmt(b0.min), '1.00', sm0 ? fmt(sm0.median) : 'error', '(reference)']);
  const perFunction = bundles.map((b) => {
    const s = samplesOf(b);
    const kb = b.bytes / 1024;
    const st = stats(s);
    const sm = stats(samplesOf(b, 'sourceMaps'));
    const ratio = st ? st.median / baseMedian : Number.NaN;
    const sizeOk = kb <= MAX_BUNDLE_KB;
    const ratioOk = st !== undefined && ratio <= MAX_INIT_RATIO;
    reach.push({ subject: `${b.entry} bundle`, target: `<= ${MAX_BUNDLE_KB} KB`, actual: `${fmt(kb, 1)} KB`, met: sizeOk });
    reach.push({
      subject: `${b.entry} init ratio`,
      target: `<= ${MAX_INIT_RATIO}`,
      actual: st ? fmt(ratio) : `module threw at load: ${s.error}`,
      met: ratioOk,
    });
    const verdict = sizeOk && ratioOk ? 'met' : `missed (${[!sizeOk && 'size', !ratioOk && 'init'].filter(Boolean).join(', ')})`;
    rows.push([b.label, `\`${b.entry}\``, fmt(kb, 1), st ? fmt(st.median) : 'error', st ? fmt(st.min) : 'error', fmt(ratio), sm ? fmt(sm.median) : 'error', verdict]);
    return {
      name: b.label,
      entry: b.entry,
      handler: b.handler,
      bundleBytes: b.bytes,
      bundleKB: round(kb, 1),
      initMs: initFigure(s),
      ratio: round(ratio, 3),
      initWithSourceMapsMs: initFigure(samplesOf(b, 'sourceMaps')),
      topPackages: b.topPackages,
    };
  });

  notes.push(
    `Module init = \`performance.now()\` around \`await import(bundle)\` in a fresh \`node\` (${process.version} here; Lambda runs Node 22 on arm64), median of ${runs} processes; ratio = function median / baseline median.`,
    'Targets use plain `node`. Lambda also gets `NODE_OPTIONS=--enable-source-maps` from the construct: the "source maps on" column is the same probe with that flag (informational, no target).',
  );

  return {
    figures: {
      method: {
        runsPerBundle: runs,
        warmUpRunsDiscarded: 1,
        order: 'round-robin across bundles and modes, sequential processes',
        modes: MODES,
        kb: 1024,
        esbuild: { ...shared, absWorkingDir: '<repo root>' },
        esbuildSource: 'captured from CDK NodejsFunction bundling of the synthesized app (bench/cdk-bundling.ts)',
        probeEnv: PROBE_ENV,
      },
      targets: { maxBundleKB: MAX_BUNDLE_KB, maxInitRatio: MAX_INIT_RATIO },
      baseline: {
        source: BASELINE_SOURCE,
        bundleBytes: baseline.bytes,
        bundleKB: round(baseline.bytes / 1024, 1),
        initMs: initFigure(baseInit),
        initWithSourceMapsMs: initFigure(samplesOf(baseline, 'sourceMaps')),
        topPackages: baseline.topPackages,
      },
      functions: perFunction,
    },
    tables: [{ columns: ['Function', 'Entry', 'Bundle (KB)', 'Init median (ms)', 'Init min (ms)', 'Ratio', 'Init median, source maps on (ms)', 'Reach'], rows }],
    reach,
    notes,
  };
}

async function bundle(
  ctx: BenchContext,
  options: BuildOptions,
  meta: Pick<Bundle, 'id' | 'label' | 'entry' | 'handler'>,
  input: Pick<BuildOptions, 'entryPoints' | 'stdin'>,
): Promise<Bundle> {
  const outfile = join(ctx.tmpDir, meta.id, 'index.mjs');
  const result = await build({ ...options, ...input, outfile, metafile: true, logLevel: 'warning' });
  const output = result.metafile.outputs[relative(ctx.rootDir, outfile).split('\\').join('/')];
  const staticExternals = (output?.imports ?? [])
    .filter((i) => i.external && i.kind === 'import-statement' && !isBuiltin(i.path))
    .map((i) => i.path);
  return { ...meta, outfile, bytes: statSync(outfile).size, topPackages: topPackages(output), staticExternals };
}

/** Bytes in the bundle per npm package (or `(project)`), largest first. */
function topPackages(output: Metafile['outputs'][string] | undefined, count = 5): { name: string; bytes: number }[] {
  if (!output) return [];
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match ? match[1]! : '(project)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, bytes }));
}

/** Milliseconds of module init, or the error text when the module failed to load. */
function probeInit(outfile: string, cwd: string, nodeArgs: readonly string[]): number | string {
  const child = spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', INIT_PROBE], {
    cwd,
    // A clean environment: nothing of the caller's (NODE_OPTIONS, AWS_PROFILE...) leaks into the probe.
    env: { PATH: process.env.PATH ?? '', ...PROBE_ENV, BENCH_IMPORT_URL: pathToFileURL(outfile).href },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) {
    return (child.error?.message ?? child.stderr.trim().split('\n').slice(-3).join(' ')) || `exit ${child.status}`;
  }
  return ms;
}
