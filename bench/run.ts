import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apiThroughputBenchmark } from './api-throughput';
import { approvalsBenchmark } from './approvals';
import { type Benchmark, type BenchmarkRecord, machineInfo } from './benchmark';
import { bookTransferBenchmark } from './book-transfer';
import { campaignBenchmark } from './campaign';
import { claimRaceBenchmark } from './claim-race';
import { coldStartBenchmark } from './cold-start';
import { eventLossBenchmark } from './event-loss';
import { contractFuzzBenchmark } from './contract-fuzz';
import { customer360Benchmark } from './customer-360';
import { importsBenchmark } from './imports';
import { inboundMailBenchmark } from './inbound-mail';
import { leadCaptureBenchmark } from './lead-capture';
import { pipelineBoardBenchmark } from './pipeline-board';
import { privacyBenchmark } from './privacy';
import { reclaimBenchmark } from './reclaim';
import { searchBenchmark } from './search';
import { slaBenchmark } from './sla';
import { routingBenchmark } from './routing';
import { tasksBenchmark } from './tasks';
import { webhooksBenchmark } from './webhooks';
import { readRecords, renderMarkdown, updateDoc, writeRecord } from './report';

/** Every benchmark `npm run bench` runs, in this order. A new one is one import and one entry here. */
const BENCHMARKS: Benchmark[] = [coldStartBenchmark, apiThroughputBenchmark, customer360Benchmark, reclaimBenchmark, claimRaceBenchmark, leadCaptureBenchmark, pipelineBoardBenchmark, searchBenchmark, tasksBenchmark, bookTransferBenchmark, campaignBenchmark, eventLossBenchmark, contractFuzzBenchmark, slaBenchmark, inboundMailBenchmark, routingBenchmark, approvalsBenchmark, webhooksBenchmark, importsBenchmark, privacyBenchmark];

const ROOT_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS_DIR = join(ROOT_DIR, 'bench', 'results');
const DOC_PATH = join(ROOT_DIR, 'docs', 'benchmarks.md');

/**
 * `npm run bench [-- <name>...] [--quick] [--profile]`: runs the benchmarks (all by default),
 * writes bench/results/<name>.json, regenerates the results block of docs/benchmarks.md from every
 * committed result, and exits 1 when a target is missed or a benchmark fails.
 * `--quick` shortens every run; `--profile` also CPU-profiles where supported; neither writes results.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, profile: { type: 'boolean', default: false } },
});

const unknown = positionals.filter((p) => !BENCHMARKS.some((b) => b.name === p));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = positionals.length ? BENCHMARKS.filter((b) => positionals.includes(b.name)) : BENCHMARKS;

// Quick runs are too short and profiled runs carry the profiler's overhead: neither is a result.
const writes = !values.quick && !values.profile;
const machine = machineInfo();
console.log(`bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${writes ? '' : ' (--quick/--profile: nothing is written)'}`);

const failures: string[] = [];
for (const benchmark of selected) {
  const started = performance.now();
  const loadStart = loadavg().map((l) => Math.round(l * 100) / 100);
  const log = (message: string) => console.log(`[${benchmark.name}] ${message}`);
  log('start');
  try {
    const outcome = await benchmark.run({
      rootDir: ROOT_DIR,
      tmpDir: join(ROOT_DIR, 'bench', '.tmp', benchmark.name),
      quick: values.quick,
      profile: values.profile,
      log,
    });
    const record: BenchmarkRecord = {
      benchmark: benchmark.name,
      title: benchmark.title,
      date: new Date().toISOString(),
      machine,
      wallTimeMs: Math.round(performance.now() - started),
      loadAverage: { start: loadStart, end: loadavg().map((l) => Math.round(l * 100) / 100) },
      reached: outcome.reach.every((c) => c.met),
      ...outcome,
    };
    for (const check of record.reach) {
      if (!check.met) failures.push(`${benchmark.name}: ${check.subject} = ${check.actual}, target ${check.target}`);
    }
    log(`done in ${(record.wallTimeMs / 1000).toFixed(1)} s: reach ${record.reached ? 'met' : 'MISSED'}`);
    console.log(renderMarkdown([record]).replace(/^/gm, '  '));
    if (writes) log(`wrote ${writeRecord(RESULTS_DIR, record)}`);
  } catch (error) {
    failures.push(`${benchmark.name}: failed: ${(error as Error).stack ?? String(error)}`);
    log(`FAILED: ${(error as Error).message}`);
  }
}

if (writes) {
  updateDoc(DOC_PATH, renderMarkdown(readRecords(RESULTS_DIR, BENCHMARKS.map((b) => b.name))));
  console.log(`bench: updated ${DOC_PATH}`);
}

if (failures.length) {
  console.error(`\nbench: ${failures.length} target(s) missed or failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\nbench: every target met');
