import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { hasAnyGroup } from '../access/caller';
import { Conflict, Forbidden } from '../errors';

/**
 * CSV imports (docs/integrations.md, "Imports"): a job a user creates, uploads a file to through a
 * presigned link, validates (dry run) and runs. Pure: the job's schemas, its states and what may
 * follow what, and who may import.
 */

/** What can be imported; each plugs into the run with its own adapter (import-entities.ts). */
export const IMPORT_ENTITIES = ['customers', 'contacts', 'leads', 'products', 'deals'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** The largest file a run reads: 100 MB, about 700,000 customer rows of a usual export. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
/** A header of more columns than this is refused before a row is read (a file is a table, not a blob). */
export const MAX_IMPORT_COLUMNS = 200;
/** How long the upload link works. */
export const UPLOAD_LINK_SECONDS = 3600;
/** How long a link to the error CSV works. */
export const REPORT_LINK_SECONDS = 900;
export const IMPORT_PAGE_SIZE = { default: 25, max: 100 } as const;
/** Rows per batch of a run: one chunk file, one Map item, one progress item. */
export const ROWS_PER_CHUNK = 1000;

export const ON_DUPLICATE = ['skip', 'update', 'report'] as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[number];
export const IMPORT_ENCODINGS = ['auto', 'utf-8', 'latin1'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

const column = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const field = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/** Entities an import may update on a duplicate: a lead is worked by its reps and scoring, not overwritten by a file. */
const UPDATABLE: readonly ImportEntity[] = ['customers', 'contacts', 'products'];

export const createImportInput = z.strictObject({
  entity: z.enum(IMPORT_ENTITIES),
  /** CSV column -> field (`name`, `emails`, `address.city`, `consent.newsletter`, `customFields.vatId`); absent: each column is named as its field. */
  mapping: z.optional(z.record(column, field).check(z.refine((m) => Object.keys(m).length <= MAX_IMPORT_COLUMNS, `At most ${MAX_IMPORT_COLUMNS} columns`))),
  options: z.optional(
    z.strictObject({
      onDuplicate: z.optional(z.enum(ON_DUPLICATE)),
      /** Each written row becomes an ordinary creation: its event, so the welcome mail (consent permitting), automations and webhooks. */
      sendWelcome: z.optional(z.boolean()),
      encoding: z.optional(z.enum(IMPORT_ENCODINGS)),
      /** One character; absent: the header's most frequent of , ; tab |. */
      delimiter: z.optional(z.string().check(z.regex(/^[,;\t|]$/, 'Expected one of , ; tab |'))),
      /** The file name shown in lists and on the report. */
      fileName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    }),
  ),
}).check(
  z.refine((input) => input.options?.onDuplicate !== 'update' || UPDATABLE.includes(input.entity), {
    message: `An import updates duplicates of ${UPDATABLE.join(', ')} only: skip or report them`,
    path: ['options', 'onDuplicate'],
  }),
);

export type CreateImportInput = z.output<typeof createImportInput>;

export const runImportInput = z.strictObject({
  /** Validate every row (and look for duplicates) without writing. */
  dryRun: z.optional(z.boolean()),
  /** Continue a run that stopped (its flow ended by a crash): finished batches are kept, written rows are not written again. */
  resume: z.optional(z.boolean()),
});

export interface ImportOptions {
  onDuplicate: OnDuplicate;
  sendWelcome: boolean;
  encoding: ImportEncoding;
  delimiter: string | null;
  fileName: string | null;
}

export const IMPORT_STATUSES = ['awaiting-upload', 'validating', 'validated', 'running', 'completed', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportCounts {
  /** Data rows in the file (the header not counted). */
  rows: number;
  /** Created or updated. */
  written: number;
  created: number;
  updated: number;
  /** Duplicates left as they were (`onDuplicate: skip`). */
  skipped: number;
  /** Invalid rows, and duplicates under `onDuplicate: report`. */
  failed: number;
}

export const NO_COUNTS: ImportCounts = { rows: 0, written: 0, created: 0, updated: 0, skipped: 0, failed: 0 };

export interface ImportJob {
  id: string;
  tenantId: string;
  entity: ImportEntity;
  /** Column -> field; null: columns are named as their fields. */
  mapping: Record<string, string> | null;
  options: ImportOptions;
  status: ImportStatus;
  /** The current run (each `/run` starts one; a resumed run keeps writing where the last stopped). */
  runId: string | null;
  /**
   * The import's one write run, once a `/run` without `dryRun` started it: every later `/run`
   * continues it, so a batch counted once (its rows, the owners' books, the board) is never
   * counted again, whatever stopped the run. Absent on imports from before it existed.
   */
  writeRunId?: string | null;
  /** Starts of the current run: a resumed run starts its flow again, under a new execution name. */
  attempt: number;
  dryRun: boolean;
  counts: ImportCounts;
  /** Batches of the current run, and how many are done. */
  chunks: number;
  chunksDone: number;
  /** Whether the current run left rows in an error CSV. */
  hasReport: boolean;
  /** Why the last run failed, in words. */
  failure: string | null;
  createdBy: string;
  /** The importer's roles and team when they created it: the run writes as they would (an update must be theirs to make). */
  importer: Pick<Caller, 'groups' | 'teamId'>;
  /** The file's header, once a run read it (the error CSV repeats it). */
  header: string[] | null;
  /** When the current run's batches were prepared: a resumed run writes them, it does not read the file again. */
  preparedAt: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
}

/**
 * Admins, managers and marketers bring data in; a rep enters customers one by one (their book).
 * The product catalogue is the admins' alone, as it is through the API; deals are the sales
 * side's: admins and managers, who may open a deal for any customer they oversee and give it to
 * a rep.
 */
export function assertMayImport(caller: Caller, entity?: ImportEntity): void {
  if (!hasAnyGroup(caller, 'admin', 'manager', 'marketer')) throw new Forbidden('Only admins, managers and marketers import');
  if (entity === 'products' && !hasAnyGroup(caller, 'admin')) throw new Forbidden('Only admins change the product catalog');
  if (entity === 'deals' && !hasAnyGroup(caller, 'admin', 'manager')) throw new Forbidden('Only admins and managers import deals');
}

/** The importer and admins see an import; its rows are the tenant's. */
export const canSeeImport = (caller: Caller, job: Pick<ImportJob, 'createdBy'>) => job.createdBy === caller.userId || hasAnyGroup(caller, 'admin');

export function newImportJob(input: CreateImportInput, caller: Caller, id: string, nowIso: string): ImportJob {
  const options = input.options ?? {};
  return {
    id,
    tenantId: caller.tenantId,
    entity: input.entity,
    mapping: input.mapping ?? null,
    options: {
      onDuplicate: options.onDuplicate ?? 'skip',
      sendWelcome: options.sendWelcome ?? false,
      encoding: options.encoding ?? 'auto',
      delimiter: options.delimiter ?? null,
      fileName: options.fileName ?? null,
    },
    status: 'awaiting-upload',
    runId: null,
    writeRunId: null,
    attempt: 0,
    dryRun: false,
    counts: NO_COUNTS,
    chunks: 0,
    chunksDone: 0,
    hasReport: false,
    failure: null,
    createdBy: caller.userId,
    importer: { groups: caller.groups, ...(caller.teamId ? { teamId: caller.teamId } : {}) },
    header: null,
    preparedAt: null,
    createdAt: nowIso,
    updatedAt: nowIso,
    completedAt: null,
    version: 1,
  };
}

/** An import that is working now: a second run would race the first. */
export const isActive = (status: ImportStatus) => status === 'validating' || status === 'running';

/**
 * Whether `/run` may start a run now. A run after a dry run, a failed run and a run that stopped
 * (a crash: `running` with no live flow, `resume`) all continue the same import: written rows are
 * recognised and not written again. A completed or cancelled import is done.
 */
export function assertMayRun(job: ImportJob, dryRun: boolean, resume: boolean): void {
  if (job.status === 'completed' || job.status === 'cancelled') throw new ImportClosed(job.id, job.status);
  if (isActive(job.status) && !resume) throw new ImportBusy(job.id, job.status);
  if (dryRun && job.status === 'running') throw new ImportBusy(job.id, job.status);
  if (dryRun && job.writeRunId) throw new ImportWriting(job.id);
}

export function assertMayCancel(job: ImportJob): void {
  if (job.status === 'completed' || job.status === 'cancelled') throw new ImportClosed(job.id, job.status);
}

export class ImportClosed extends Conflict {
  override readonly slug = 'import-closed';
  constructor(importId: string, status: ImportStatus) {
    super(`Import ${importId} is ${status}: start a new import`);
  }
}

/** A dry run after rows were written would count what is there as new: the write run is continued instead. */
export class ImportWriting extends Conflict {
  override readonly slug = 'import-writing';
  constructor(importId: string) {
    super(`Import ${importId} has started writing: a dry run is for before; continue it with {} (its written rows are kept and not written again)`);
  }
}

export class ImportBusy extends Conflict {
  override readonly slug = 'import-running';
  constructor(importId: string, status: ImportStatus) {
    super(`Import ${importId} is ${status}: wait for it, cancel it, or resume it with {"resume": true} if its run stopped`);
  }
}

/** The view clients get: the job without storage details. */
export function importView(job: ImportJob) {
  return {
    id: job.id,
    entity: job.entity,
    mapping: job.mapping,
    options: job.options,
    status: job.status,
    dryRun: job.dryRun,
    ...job.counts,
    chunks: job.chunks,
    chunksDone: job.chunksDone,
    failure: job.failure,
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt,
    version: job.version,
  };
}
