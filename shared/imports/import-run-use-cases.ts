import { importCompletedV1 } from '../../events/imports/import-completed.v1';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import { clock } from '../clock';
import { eachWithConcurrency } from '../concurrency';
import { fileKeys } from '../files/file-keys';
import { newEvent } from '../outbox/outbox';
import { entityImport, type ImportWriteDeps } from './import-entities';
import { type ColumnTarget, type PreparedRow, type Reject, type RowResult, tally } from './import-rows';
import { csvRecords } from './csv-records';
import { MAX_IMPORT_COLUMNS, ROWS_PER_CHUNK, type ImportJob } from './import-job';
import type { ImportRepository } from './import-repository';
import type { ImportRunInput } from './import-use-cases';
import { importReportCsv } from './import-report';

/** The files a run reads and writes. */
export interface RunFiles {
  stream(key: string): Promise<NodeJS.ReadableStream & AsyncIterable<Uint8Array>>;
  write(key: string, body: string, contentType: string): Promise<void>;
  readText(key: string): Promise<string | undefined>;
}

export interface ImportRunDeps extends ImportWriteDeps {
  imports: ImportRepository;
  files: RunFiles;
  customFields: CustomFieldCatalog;
}

/** What the flow does next: write the batches, end the run, or stop (the run was cancelled or superseded). */
export type PrepareResult = { action: 'write'; chunks: number[] } | { action: 'complete' } | { action: 'stop' };

/** Rows written at once inside a batch: each row is a few conditional writes in sequence. */
const ROW_CONCURRENCY = 16;

const JSONL = 'application/x-ndjson';
const jsonLines = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join('\n');
const parseLines = <T>(text: string | undefined): T[] => (text ?? '').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as T);

async function currentRun(deps: Pick<ImportRunDeps, 'imports'>, input: ImportRunInput): Promise<ImportJob | undefined> {
  const state = await deps.imports.run(input.tenantId, input.importId, input.runId);
  return state?.current ? state.job : undefined;
}

/**
 * Reads the whole file once: every row is checked as POST /customers checks a body, the valid
 * ones go into batch files of ROWS_PER_CHUNK rows, the others into the run's rejects. A dry run
 * also looks up each row's emails, phones and domain, in the tenant and earlier in the file, and
 * counts what a run would do, writing nothing. A resumed run finds its batches prepared.
 */
export async function prepareImport(deps: ImportRunDeps, input: ImportRunInput): Promise<PrepareResult> {
  const job = await currentRun(deps, input);
  if (!job) return { action: 'stop' };
  if (!input.dryRun && job.preparedAt !== null && job.chunks > 0) {
    return { action: 'write', chunks: range(job.chunks) };
  }
  const entity = entityImport(job.entity);
  const definitions = await deps.customFields.list(job.tenantId, 'customer');
  const stream = await deps.files.stream(fileKeys.importUpload(job.tenantId, job.id));
  const records = csvRecords(stream, { encoding: job.options.encoding, delimiter: job.options.delimiter });
  let header: string[] = [];
  let targets: ColumnTarget[] = [];
  const invalid: Reject[] = [];
  const valid: PreparedRow[] = [];
  let rows = 0;
  let chunks = 0;
  const flush = async (force: boolean) => {
    if (input.dryRun || (valid.length < ROWS_PER_CHUNK && !force) || valid.length === 0) return;
    const batch = valid.splice(0, ROWS_PER_CHUNK);
    await deps.files.write(fileKeys.importChunk(job.tenantId, job.id, input.runId, chunks), jsonLines(batch), JSONL);
    chunks += 1;
  };
  for await (const record of records) {
    if (targets.length === 0 && header.length === 0) {
      if (!record.ok) throw new Error(`The header cannot be read: ${record.message}`);
      header = record.cells.map((c) => c.trim());
      targets = entity.targets(header.slice(0, MAX_IMPORT_COLUMNS), job.mapping, definitions);
      continue;
    }
    rows += 1;
    const row = rows;
    if (!record.ok) {
      invalid.push({ row, line: record.line, cells: [], outcome: 'failed', errors: [{ column: '(row)', message: record.message }] });
      continue;
    }
    if (record.cells.length > header.length) {
      invalid.push({ row, line: record.line, cells: record.cells.slice(0, header.length), outcome: 'failed', errors: [{ column: '(row)', message: `The row has ${record.cells.length} cells; the header has ${header.length} columns` }] });
      continue;
    }
    const check = entity.check(record.cells, header, targets, definitions);
    if (!check.ok) invalid.push({ row, line: record.line, cells: record.cells, outcome: 'failed', errors: check.errors });
    else valid.push({ ...(check.row as object), row, line: record.line, cells: record.cells });
    await flush(false);
  }
  await flush(true);
  if (!(await deps.imports.prepared(job, input.runId, { rows, invalid: invalid.length, chunks: input.dryRun ? 1 : chunks, header }, clock.nowIso()))) return { action: 'stop' };
  await deps.files.write(fileKeys.importInvalidRows(job.tenantId, job.id, input.runId), jsonLines(invalid), JSONL);
  if (!input.dryRun) return chunks > 0 ? { action: 'write', chunks: range(chunks) } : { action: 'complete' };

  // A dry run: what a run would do with the valid rows, as batch 0.
  const outcome = tally(await entity.dryRun(deps, job, valid));
  await deps.files.write(fileKeys.importChunkRejects(job.tenantId, job.id, input.runId, 0), jsonLines(outcome.rejects), JSONL);
  await deps.imports.chunkDone(job, input.runId, 0, outcome.counts, { owned: new Map(), boards: [] }, clock.nowIso());
  return { action: 'complete' };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Writes one batch: each row through the same guards as POST /customers, then the batch's
 * rejects and its counts (exactly once). A batch already counted, or of a run that moved on,
 * writes nothing.
 */
export async function writeImportChunk(deps: ImportRunDeps, input: ImportRunInput & { chunk: number }): Promise<{ written: boolean }> {
  const job = await currentRun(deps, input);
  if (!job || (await deps.imports.isChunkDone(job.tenantId, job.id, input.runId, input.chunk))) return { written: false };
  const rows = parseLines<PreparedRow>(await deps.files.readText(fileKeys.importChunk(job.tenantId, job.id, input.runId, input.chunk)));
  const users = await deps.users.all(job.tenantId);
  const nowIso = clock.nowIso();
  const results: RowResult[] = [];
  const entity = entityImport(job.entity);
  const context = { job, users, nowIso };
  for (const wave of entity.waves(rows, job)) {
    await eachWithConcurrency(wave, ROW_CONCURRENCY, async (row) => {
      results.push(await entity.write(deps, context, row));
    });
  }
  const { counts, rejects, totals } = tally(results);
  // The rejects first: once the batch is counted, its report must be there.
  await deps.files.write(fileKeys.importChunkRejects(job.tenantId, job.id, input.runId, input.chunk), jsonLines(rejects), JSONL);
  return { written: await deps.imports.chunkDone(job, input.runId, input.chunk, counts, totals, clock.nowIso()) };
}

/** Ends a run: the error CSV (every row not written, with why) and the status with its event, in one write. */
export async function completeImport(deps: ImportRunDeps, input: ImportRunInput): Promise<{ status: string }> {
  const job = await currentRun(deps, input);
  if (!job) return { status: 'stopped' };
  const rejects = parseLines<Reject>(await deps.files.readText(fileKeys.importInvalidRows(job.tenantId, job.id, input.runId)));
  for (const chunk of range(job.chunks)) rejects.push(...parseLines<Reject>(await deps.files.readText(fileKeys.importChunkRejects(job.tenantId, job.id, input.runId, chunk))));
  rejects.sort((a, b) => a.row - b.row);
  if (rejects.length > 0) await deps.files.write(fileKeys.importReport(job.tenantId, job.id, input.runId), importReportCsv(job.header ?? [], rejects), 'text/csv; charset=utf-8');
  const nowIso = clock.nowIso();
  const event = input.dryRun
    ? undefined
    : {
        detailType: importCompletedV1.detailType,
        detail: newEvent(importCompletedV1, { tenantId: job.tenantId, actor: { type: 'user', id: job.createdBy }, correlationId: `import-${job.id}` }, { importId: job.id, entity: job.entity, ...job.counts }),
      };
  const ended = await deps.imports.finish(job, input.runId, input.dryRun ? 'validated' : 'completed', { hasReport: rejects.length > 0, failure: null, nowIso }, event);
  return { status: ended ? (input.dryRun ? 'validated' : 'completed') : 'stopped' };
}

/** A step failed past its retries: the run is marked failed with why; `/run` with `resume` continues it. */
export async function recordImportFailure(deps: Pick<ImportRunDeps, 'imports'>, input: ImportRunInput & { error?: string; cause?: string }): Promise<void> {
  const job = await currentRun(deps, input);
  if (!job) return;
  const failure = [input.error, input.cause].filter(Boolean).join(': ').slice(0, 1000) || 'A step failed';
  await deps.imports.finish(job, input.runId, 'failed', { hasReport: false, failure, nowIso: clock.nowIso() });
}
