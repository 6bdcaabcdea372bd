import type { Readable } from 'node:stream';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { clock } from '../clock';
import type { CustomFieldCatalog } from '../custom-fields/custom-field-repository';
import { ValidationFailed } from '../errors';
import { fileKeys } from '../files/file-keys';
import { newId } from '../ids';
import { entityImport } from './import-entities';
import { csvRecords } from './csv-records';
import {
  assertMayCancel,
  assertMayImport,
  assertMayRun,
  canSeeImport,
  type CreateImportInput,
  type ImportJob,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_COLUMNS,
  newImportJob,
  NO_COUNTS,
  REPORT_LINK_SECONDS,
  UPLOAD_LINK_SECONDS,
} from './import-job';
import { ImportNotFound, type ImportPage, type ImportRepository } from './import-repository';

/** What the import flow starts with (and each of its steps reads). */
export interface ImportRunInput {
  tenantId: string;
  importId: string;
  runId: string;
  dryRun: boolean;
}

/** The files an import moves: the upload, its report. */
export interface ImportFiles {
  uploadLink(key: string, contentType: string, expiresInSeconds: number): Promise<string>;
  downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
  size(key: string): Promise<number | undefined>;
  stream(key: string): Promise<Readable>;
}

export interface ImportDeps {
  imports: ImportRepository;
  files: ImportFiles;
  customFields: CustomFieldCatalog;
  /** Starts the import flow; `executionName` is unique per start (a resumed run starts again). */
  startFlow(input: ImportRunInput, executionName: string): Promise<void>;
}

const UPLOAD_CONTENT_TYPE = 'text/csv';

/** A new import and the link its CSV is uploaded to (PUT, `Content-Type: text/csv`). */
export async function createImport(deps: Pick<ImportDeps, 'imports' | 'files'>, caller: Caller, input: CreateImportInput) {
  assertMayImport(caller, input.entity);
  const nowIso = clock.nowIso();
  const job = newImportJob(input, caller, newId(), nowIso);
  await deps.imports.create(job);
  const uploadUrl = await deps.files.uploadLink(fileKeys.importUpload(job.tenantId, job.id), UPLOAD_CONTENT_TYPE, UPLOAD_LINK_SECONDS);
  return { job, upload: { url: uploadUrl, method: 'PUT' as const, headers: { 'content-type': UPLOAD_CONTENT_TYPE }, expiresAt: new Date(clock.nowMs() + UPLOAD_LINK_SECONDS * 1000).toISOString() } };
}

/** The import (its creator and admins see it; to others it does not exist) and, when its run left one, a link to the error CSV. */
export async function getImport(deps: Pick<ImportDeps, 'imports' | 'files'>, caller: Caller, importId: string) {
  const job = await visibleImport(deps, caller, importId);
  const reportUrl = job.hasReport && job.runId ? await deps.files.downloadLink(fileKeys.importReport(job.tenantId, job.id, job.runId), `import-${job.id}-errors.csv`, REPORT_LINK_SECONDS) : null;
  return { job, reportUrl };
}

export async function listImports(deps: Pick<ImportDeps, 'imports'>, caller: Caller, limit: number, cursor: string | undefined): Promise<ImportPage> {
  assertMayImport(caller);
  return deps.imports.list(caller.tenantId, limit, cursor, isAdmin(caller) ? undefined : caller.userId);
}

async function visibleImport(deps: Pick<ImportDeps, 'imports'>, caller: Caller, importId: string): Promise<ImportJob> {
  const job = await deps.imports.get(caller.tenantId, importId);
  if (!job || !canSeeImport(caller, job)) throw new ImportNotFound(importId);
  return job;
}

/**
 * Starts a run (or a dry run) of the uploaded file. What can be told before a row is read is
 * told now, as a 400 naming it: no upload, a file over the size limit, a header that is not a
 * table of known columns (or that the mapping does not fit). The run itself goes on in the flow.
 */
export async function runImport(deps: ImportDeps, caller: Caller, importId: string, options: { dryRun?: boolean; resume?: boolean }): Promise<ImportJob> {
  const job = await visibleImport(deps, caller, importId);
  const dryRun = options.dryRun ?? false;
  assertMayRun(job, dryRun, options.resume ?? false);
  // A write run, once started, is the import's only one: a later /run continues it (docs/integrations.md, "Resuming").
  const resume = !dryRun && Boolean(job.writeRunId);
  const upload = fileKeys.importUpload(job.tenantId, job.id);
  if (!resume) await checkFile(deps, job, upload);
  const runId = resume ? job.writeRunId! : newId();
  const nowIso = clock.nowIso();
  const attempt = resume ? job.attempt + 1 : 1;
  const started = await deps.imports.updateAtVersion(job, {
    status: dryRun ? 'validating' : 'running',
    runId,
    dryRun,
    ...(dryRun ? {} : { writeRunId: runId }),
    ...(resume ? {} : { counts: NO_COUNTS, chunks: 0, chunksDone: 0, hasReport: false, preparedAt: null }),
    failure: null,
    completedAt: null,
    updatedAt: nowIso,
    attempt,
  });
  await deps.startFlow({ tenantId: job.tenantId, importId: job.id, runId, dryRun }, `${runId}-${attempt}`);
  return started;
}

async function checkFile(deps: ImportDeps, job: ImportJob, key: string): Promise<void> {
  const size = await deps.files.size(key);
  if (size === undefined) throw new ValidationFailed([{ path: 'file', message: 'Nothing was uploaded yet: PUT the CSV to the upload link first' }]);
  if (size > MAX_IMPORT_BYTES) throw new ValidationFailed([{ path: 'file', message: `The file has ${size} bytes; an import takes at most ${MAX_IMPORT_BYTES} (split it into several imports)` }]);
  if (size === 0) throw new ValidationFailed([{ path: 'file', message: 'The file is empty' }]);
  const stream = await deps.files.stream(key);
  try {
    const records = csvRecords(stream, { encoding: job.options.encoding, delimiter: job.options.delimiter });
    const first = await records.next();
    if (first.done) throw new ValidationFailed([{ path: 'file', message: 'The file has no header' }]);
    if (!first.value.ok) throw new ValidationFailed([{ path: 'header', message: `The header cannot be read: ${first.value.message}` }]);
    const header = first.value.cells.map((c) => c.trim());
    if (header.length > MAX_IMPORT_COLUMNS) throw new ValidationFailed([{ path: 'header', message: `The header has ${header.length} columns; an import takes at most ${MAX_IMPORT_COLUMNS}` }]);
    entityImport(job.entity).targets(header, job.mapping, await deps.customFields.list(job.tenantId, 'customer'));
    await records.return(undefined as never);
  } finally {
    stream.destroy();
  }
}

/**
 * Cancels an import. A running flow stops before its next batch; batches already written stay
 * written (and counted), as a cancelled upload in any CRM keeps the rows it saved.
 */
export async function cancelImport(deps: Pick<ImportDeps, 'imports'>, caller: Caller, importId: string): Promise<ImportJob> {
  const job = await visibleImport(deps, caller, importId);
  assertMayCancel(job);
  return deps.imports.updateAtVersion(job, { status: 'cancelled', updatedAt: clock.nowIso() });
}
