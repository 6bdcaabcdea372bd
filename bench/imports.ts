import { readFileSync } from 'node:fs';
import { uniqueValues } from '../shared/customers/contact-points';
import { newCustomer } from '../shared/customers/customer';
import { profileIndexKeys } from '../shared/customers/profile-item';
import { TABLE_INDEXES } from '../shared/keys';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, pool, round } from './benchmark';
import { startRuntime } from './local-stack';

export const importsBenchmark: Benchmark = {
  name: 'imports',
  title: 'CSV import: 100,000 customer rows with 2 % duplicates and 1 % invalid rows',
  run: runImports,
};

const ROWS = 100_000;
const DUPLICATE_SHARE = 0.02;
const INVALID_SHARE = 0.01;
const POLL_MS = 2_000;
const TIMEOUT_MS = 45 * 60_000;

type Counts = Record<string, { requests: number; readCapacityUnits: number; writeCapacityUnits: number }>;
type Kinds = Record<string, { items: number; writeCapacityUnits: number }>;
interface ImportJob {
  id: string;
  status: string;
  rows: number;
  written: number;
  created: number;
  skipped: number;
  failed: number;
  chunks: number;
  chunksDone: number;
  failure: string | null;
  upload: { url: string; headers: Record<string, string> };
}

/** Resident memory of a process now (VmRSS) or at its peak (VmHWM), Linux, in MB. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? round(Number(line.replace(/\D+/g, '')) / 1024, 0) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Issue 18's import figure, through the local runtime as a user does it: existing customers
 * (the duplicates' other halves) entered through the API, then POST /imports, the file PUT to
 * the presigned link, `/run`, and GET /imports/{id} polled to the end. Every DynamoDB request
 * from the run on goes through the runtime's counting proxy (--count-requests), so write units
 * are DynamoDB Local's own figures per item kind; rows per second is file rows over the run's
 * wall time; peak memory is the runtime process's high-water mark (it hosts the API, the flow
 * runner, the S3 stand-in and the counting proxy; DynamoDB Local is its own Java process).
 */
async function runImports(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const rows = ctx.quick ? 5_000 : ROWS;
  const runtime = await startRuntime(ctx.rootDir, [], process.env.BENCH_NO_COUNT ? [] : ['--count-requests']);
  const { apiUrl } = runtime.stack;
  const json = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };
  try {
    const tenant = `benchimport${Date.now().toString(36)}`;
    const admin = String((await json('POST', '/_local/tokens', undefined, { sub: 'admin-1', tenantId: tenant, groups: ['admin'] }))!.token);
    const duplicates = Math.round(rows * DUPLICATE_SHARE);
    const invalid = Math.round(rows * INVALID_SHARE);
    ctx.log(`entering ${duplicates} customers through the API (the duplicates' other halves)`);
    const existing = Array.from({ length: duplicates }, (_, i) => `existing-${i}@${tenant}.example.com`);
    await pool(existing, 16, async (email) => void (await json('POST', '/customers', admin, { name: `Existing ${email}`, emails: [email] })));

    // Every 50th row repeats an existing customer's email, every 100th has an email that is not one.
    const lines = ['name,emails,phones,address.city,tags,consent.newsletter'];
    let dup = 0;
    let bad = 0;
    for (let i = 0; i < rows; i++) {
      let email = `row-${i}@${tenant}.example.com`;
      if (i % 50 === 25 && dup < duplicates) email = existing[dup++]!;
      else if (i % 100 === 99 && bad < invalid) {
        email = `row-${i}-not-an-email`;
        bad += 1;
      }
      lines.push(`"Customer ${i}, Ltd.",${email},+49 30 ${String(1_000_000 + i)},Berlin,import;bench,${i % 3 === 0 ? 'yes' : ''}`);
    }
    const file = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const job = (await json('POST', '/imports', admin, { entity: 'customers', options: { fileName: 'bench.csv' } })) as unknown as ImportJob;
    const put = await fetch(job.upload.url, { method: 'PUT', headers: job.upload.headers, body: file });
    if (put.status !== 200) throw new Error(`upload: ${put.status}`);
    await json('POST', '/_local/settle', undefined);
    ctx.log(`importing ${rows} rows (${(file.length / 1e6).toFixed(1)} MB): ${dup} duplicates, ${bad} invalid`);

    if (!process.env.BENCH_NO_COUNT) await json('POST', '/_local/dynamodb-requests/reset', undefined, {});
    const rssBeforeMb = memoryMb(runtime.pid, 'VmRSS');
    const started = performance.now();
    await json('POST', `/imports/${job.id}/run`, admin, {});
    let state = job;
    while (!['completed', 'failed', 'cancelled'].includes(state.status)) {
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`import not done after ${TIMEOUT_MS / 60_000} min: ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      state = (await json('GET', `/imports/${job.id}`, admin)) as unknown as ImportJob;
      ctx.log(`${state.status}: ${state.chunksDone}/${state.chunks} batches, ${state.written} written`);
    }
    const seconds = (performance.now() - started) / 1000;
    const counted = process.env.BENCH_NO_COUNT ? { operations: {}, writesByKind: {} } : ((await json('GET', '/_local/dynamodb-requests', undefined)) as unknown as { operations: Counts; writesByKind: Kinds });
    const memory = { beforeMb: rssBeforeMb, peakMb: memoryMb(runtime.pid, 'VmHWM') };
    return outcome(rows, { duplicates: dup, invalid: bad }, state, counted, seconds, memory, file.length);
  } finally {
    await runtime.stop();
  }
}

/**
 * The item writes a row of this file must make, derived from the code that builds them: the
 * profile, one entry per index its keys put it in (DynamoDB bills each as a write) and one guard
 * per email and phone.
 */
function itemsPerRow(): { total: number; indexEntries: number; indexes: string[]; guards: number } {
  const caller = { tenantId: 't', userId: 'admin-1', groups: ['admin' as const] };
  const customer = newCustomer({ name: 'Customer 1, Ltd.', emails: ['row-1@example.com'], phones: ['+49301000001'], tags: ['import', 'bench'] }, caller, 'C1', new Date().toISOString());
  const indexKeys = profileIndexKeys(customer);
  const indexes = Object.values(TABLE_INDEXES).filter((index) => index.pk in indexKeys).map((index) => index.name);
  const guards = uniqueValues(customer).length;
  return { total: 1 + indexes.length + guards, indexEntries: indexes.length, indexes, guards };
}

function outcome(rows: number, planted: { duplicates: number; invalid: number }, job: ImportJob, counted: { operations: Counts; writesByKind: Kinds }, seconds: number, memory: { beforeMb: number | undefined; peakMb: number | undefined }, bytes: number): BenchmarkOutcome {
  const wcu = Object.values(counted.operations).reduce((s, o) => s + o.writeCapacityUnits, 0);
  const kind = (name: string) => counted.writesByKind[name] ?? { items: 0, writeCapacityUnits: 0 };
  // What each created row must write: its profile, the profile's index entries and one guard per email and phone.
  const perRow = itemsPerRow();
  const mustWrite = job.created * perRow.total;
  const rowWcu = kind('Customer').writeCapacityUnits + kind('UniqueGuard').writeCapacityUnits;
  const ratio = rowWcu / mustWrite;
  const accounted = job.written + job.skipped + job.failed === job.rows && job.rows === rows;
  const searchWcu = Object.entries(counted.writesByKind).filter(([k]) => /search/i.test(k)).reduce((s, [, v]) => s + v.writeCapacityUnits, 0);
  const byKind = Object.entries(counted.writesByKind).sort(([, a], [, b]) => b.writeCapacityUnits - a.writeCapacityUnits);
  const byOperation = Object.entries(counted.operations).sort(([, a], [, b]) => b.requests - a.requests);
  return {
    figures: {
      rows,
      bytes,
      status: job.status === 'completed' ? 1 : 0,
      written: job.written,
      skipped: job.skipped,
      failed: job.failed,
      plantedDuplicates: planted.duplicates,
      plantedInvalid: planted.invalid,
      seconds: round(seconds, 1),
      rowsPerSecond: round(rows / seconds, 0),
      writeUnits: round(wcu, 1),
      rowWriteUnitsPerWrittenRow: round(rowWcu / Math.max(1, job.created), 3),
      itemsPerWrittenRow: perRow.total,
      ratioToItems: round(ratio, 3),
      searchIndexWriteUnits: round(searchWcu, 1),
      runtimeMemoryBeforeMb: memory.beforeMb ?? -1,
      peakRuntimeMemoryMb: memory.peakMb ?? -1,
    },
    tables: [
      {
        title: `${fmt(rows, 0)} rows (${fmt(bytes / 1e6, 1)} MB): ${planted.duplicates} duplicates of customers entered before, ${planted.invalid} invalid emails`,
        columns: ['Figure', 'Value'],
        rows: [
          ['status', job.status + (job.failure ? ` (${job.failure})` : '')],
          ['rows written / skipped / failed (= rows)', `${job.written} / ${job.skipped} / ${job.failed} (${job.written + job.skipped + job.failed} of ${job.rows})`],
          ['rows per second (file rows over the run, upload excluded)', fmt(rows / seconds, 0)],
          ['write units of profiles and guards per created row', fmt(rowWcu / Math.max(1, job.created), 3)],
          [`item writes each created row must make (profile, ${perRow.indexEntries} index entries: ${perRow.indexes.join(', ')}, ${perRow.guards} guards)`, String(perRow.total)],
          ['ratio (target ≤ 1.2)', fmt(ratio, 3)],
          ['write units of the whole run, every kind (below)', fmt(wcu, 1)],
          ['memory of the runtime process before the run / at its peak (MB)', `${memory.beforeMb ?? 'n/a'} / ${memory.peakMb ?? 'n/a'}`],
        ],
      },
      { title: 'Write units by kind of item (the run and what it caused: the search index is fed from the table stream)', columns: ['Kind', 'Items', 'Write units'], rows: byKind.map(([k, v]) => [k, fmt(v.items, 0), fmt(v.writeCapacityUnits, 1)]) },
      { title: 'DynamoDB requests by operation', columns: ['Operation', 'Requests', 'Read units', 'Write units'], rows: byOperation.map(([k, v]) => [k, fmt(v.requests, 0), fmt(v.readCapacityUnits, 1), fmt(v.writeCapacityUnits, 1)]) },
    ],
    reach: [
      { subject: 'every row accounted for (written + skipped + failed = rows)', target: String(rows), actual: String(job.written + job.skipped + job.failed), met: accounted && job.status === 'completed' },
      { subject: 'duplicates skipped, invalid rows failed', target: `${planted.duplicates} / ${planted.invalid}`, actual: `${job.skipped} / ${job.failed}`, met: job.skipped === planted.duplicates && job.failed === planted.invalid },
      { subject: 'write units per written row / items it must write', target: '≤ 1.2', actual: fmt(ratio, 3), met: ratio <= 1.2 },
    ],
    notes: [
      'Rows are written without transactions (a transaction bills each item twice): each guard is a conditional put and the profile is put last (docs/integrations.md, "How a row is written"). A duplicate row costs the one failed conditional put of its taken guard.',
      'The search index entries are written by the stream consumer, as for any customer created through the API, and go on after the import ends: the kinds table shows those written by the time the run ended. They are not in the ratio, which is about what the import itself writes.',
      'The runtime process hosts every handler, the flow runner, the stand-ins and the counting proxy, so its memory before the run is most of its peak; the import itself adds what the peak shows beyond it (the file is streamed, a batch holds 1,000 rows).',
      'The import flow runs in the local runtime with the Distributed Map inline (8 batches at a time, 16 rows at a time in each), against DynamoDB Local through the counting proxy: rows per second is a floor for AWS, where batches run as child executions.',
    ],
  };
}
