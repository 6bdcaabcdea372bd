import type { Caller } from '../access/caller';
import { type FieldError, ValidationFailed } from '../errors';
import type { CustomFieldDefinition } from '../custom-fields/custom-field-definition';
import type { DirectoryUser } from '../users/user';
import { type BoardDelta, netBoardDeltas } from '../deals/deal-items';
import type { ImportJob } from './import-job';
import type { ChunkCounts } from './import-repository';

/**
 * What every importable entity shares (docs/integrations.md, "Imports"): a row as a batch file
 * keeps it, a row not written and why, a row's outcome, and the adapter an entity plugs into the
 * run with (its columns, its row check, its writes, its dry run).
 */

/** What a column feeds, or null for a column the mapping leaves out. */
export type ColumnTarget = string | null;

/** A valid row as a batch file keeps it: where it was in the file, its cells (for the report) and what the entity writes of it. */
export type PreparedRow<R = unknown> = R & { row: number; line: number; cells: string[] };

/** A row the run did not write, and why: a line of the error CSV. */
export interface Reject {
  row: number;
  line: number;
  cells: string[];
  outcome: 'failed' | 'skipped';
  errors: { column: string; message: string }[];
  existingId?: string;
  existingOwnerId?: string | null;
}

/**
 * A created row names the owner whose book it grows (customers) and what it adds to the pipeline
 * board (deals): both are counters every row would contend for, added once per batch instead.
 */
export type RowResult =
  | { outcome: 'created'; ownerId: string | null; board?: BoardDelta; reject?: undefined }
  | { outcome: 'updated' | 'skipped' | 'failed'; ownerId?: undefined; board?: undefined; reject?: Reject };

/** What a batch adds to shared counters, in the transaction that counts it. */
export interface BatchTotals {
  /** Owner -> customers their book gained. */
  owned: Map<string, number>;
  /** Board columns' net change. */
  boards: BoardDelta[];
}

export type RowCheck<R> = { ok: true; row: R } | { ok: false; errors: { column: string; message: string }[] };

export interface RowContext {
  job: ImportJob;
  users: readonly DirectoryUser[];
  nowIso: string;
}

/** One importable entity: how its columns are read, checked and written. `D` is what its writes need. */
export interface EntityImport<R, D> {
  /** What each column feeds; throws ValidationFailed naming the column or mapping entry. */
  targets(header: readonly string[], mapping: Readonly<Record<string, string>> | null, definitions: readonly CustomFieldDefinition[]): ColumnTarget[];
  /** One data row, checked as the API checks a body: each error names its column. */
  check(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[], definitions: readonly CustomFieldDefinition[]): RowCheck<R>;
  /** A batch's rows in waves: a row sharing a unique value with an earlier row waits for it. */
  waves(rows: readonly PreparedRow<R>[], job: ImportJob): PreparedRow<R>[][];
  write(deps: D, context: RowContext, row: PreparedRow<R>): Promise<RowResult>;
  /** What a run would do with each valid row, writing nothing. */
  dryRun(deps: D, job: ImportJob, rows: readonly PreparedRow<R>[]): Promise<RowResult[]>;
}

export const importer = (job: ImportJob): Caller => ({ tenantId: job.tenantId, userId: job.createdBy, ...job.importer });

/** The column a field came from (the report names columns, as the user sees the file). */
export const columnOf = (job: ImportJob, field: string) => (job.mapping ? (Object.entries(job.mapping).find(([, f]) => f === field)?.[0] ?? field) : field);

export const failedRow = (row: PreparedRow, column: string, message: string): RowResult => ({
  outcome: 'failed',
  reject: { row: row.row, line: row.line, cells: row.cells, outcome: 'failed', errors: [{ column, message }] },
});

/** A duplicate left as it is (`skip`) or refused (`report`), with the record it collides with. */
export function duplicateRow(row: PreparedRow, outcome: 'failed' | 'skipped', message: string, existingId: string, existingOwnerId: string | null): RowResult {
  return { outcome, reject: { row: row.row, line: row.line, cells: row.cells, outcome, errors: [{ column: '(row)', message }], existingId, existingOwnerId } };
}

/** Rows in waves by the unique values each claims: a row waits for every earlier row sharing one. */
export function wavesBy<T>(rows: readonly T[], valuesOf: (row: T) => string[]): T[][] {
  const waves: T[][] = [];
  const waveOf = new Map<string, number>();
  for (const row of rows) {
    const values = valuesOf(row);
    const wave = Math.max(-1, ...values.map((v) => waveOf.get(v) ?? -1)) + 1;
    for (const v of values) waveOf.set(v, wave);
    (waves[wave] ??= []).push(row);
  }
  return waves;
}

/** What an entity's columns may feed: the rules `mappedTargets` checks a header against. */
export interface ColumnSpec {
  known(field: string): boolean;
  /** Fields that take a list, so several columns may feed them. */
  isList?(field: string): boolean;
  /** The fields, in words, for the error that names an unknown one. */
  fieldsHint: string;
  /** Each: one of these fields must be fed, or `message`. */
  required: { anyOf: string[]; message: string }[];
}

/**
 * What each column of the header feeds. With a mapping, columns it leaves out are ignored and each
 * mapped column must be in the header; without one, every column must be named as a field. A
 * field fed by two columns must be a list. Throws ValidationFailed naming the column.
 */
export function mappedTargets(header: readonly string[], mapping: Readonly<Record<string, string>> | null, spec: ColumnSpec): ColumnTarget[] {
  const errors: FieldError[] = [];
  const unknown = (field: string) => `Unknown field ${field}: one of ${spec.fieldsHint}`;
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (seen.has(name)) errors.push({ path: `header.${index + 1}`, message: `Column "${name}" appears twice` });
    seen.add(name);
  });
  if (mapping) {
    for (const [column, field] of Object.entries(mapping)) {
      if (!header.includes(column)) errors.push({ path: `mapping.${column}`, message: `The file has no column "${column}"` });
      if (!spec.known(field)) errors.push({ path: `mapping.${column}`, message: unknown(field) });
    }
  }
  const targets = header.map((name): ColumnTarget => (mapping ? (mapping[name] ?? null) : name));
  if (!mapping) {
    targets.forEach((field, index) => {
      if (field !== null && !spec.known(field)) errors.push({ path: `header.${header[index]}`, message: `${unknown(field)}; map the column to a field, or leave it out of the file` });
    });
  }
  const fed = new Map<string, number>();
  for (const field of targets) if (field !== null) fed.set(field, (fed.get(field) ?? 0) + 1);
  for (const [field, count] of fed) if (count > 1 && !spec.isList?.(field)) errors.push({ path: 'mapping', message: `${count} columns feed ${field}, which holds one value` });
  for (const rule of spec.required) if (!rule.anyOf.some((f) => fed.has(f) || [...fed.keys()].some((k) => k.startsWith(`${f}.`)))) errors.push({ path: 'mapping', message: rule.message });
  if (errors.length > 0) throw new ValidationFailed(errors);
  return targets;
}

/**
 * What a dry run says of a row: created, or a duplicate (of `existingId`, for `why`) counted as
 * the options say: skipped, failed, or updated.
 */
export function dryRunOutcome(job: ImportJob, row: PreparedRow, duplicate?: { why: string; existingId: string; ownerId?: string | null }): RowResult {
  if (!duplicate) return { outcome: 'created', ownerId: null };
  if (job.options.onDuplicate === 'update') return { outcome: 'updated' };
  return duplicateRow(row, job.options.onDuplicate === 'skip' ? 'skipped' : 'failed', `Duplicate: ${duplicate.why}`, duplicate.existingId, duplicate.ownerId ?? null);
}

/** A batch's (or a dry run's) outcomes as counts, rejects and what it adds to shared counters. */
export function tally(results: readonly RowResult[]): { counts: ChunkCounts; rejects: Reject[]; totals: BatchTotals } {
  const counts: ChunkCounts = { written: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
  const owned = new Map<string, number>();
  const boards: BoardDelta[] = [];
  const rejects: Reject[] = [];
  for (const result of results) {
    counts[result.outcome] += 1;
    if (result.outcome === 'created' || result.outcome === 'updated') counts.written += 1;
    if (result.outcome === 'created' && result.ownerId) owned.set(result.ownerId, (owned.get(result.ownerId) ?? 0) + 1);
    if (result.board) boards.push(result.board);
    if (result.reject) rejects.push(result.reject);
  }
  return { counts, rejects, totals: { owned, boards: netBoardDeltas(boards) } };
}

const YES = new Set(['true', 'yes', 'y', '1', 'x', 'opt-in', 'granted', 'active']);
const NO = new Set(['false', 'no', 'n', '0', 'opt-out', 'denied', 'inactive']);

/** A yes/no cell (consent, a boolean custom field, `active`); undefined when it is neither. */
export function yesNo(cell: string): boolean | undefined {
  const lower = cell.toLowerCase();
  return YES.has(lower) ? true : NO.has(lower) ? false : undefined;
}

/** The active user a row's `ownerId` cell names, by id or email; a failed row when it names none. */
export function rowOwner(job: ImportJob, users: readonly DirectoryUser[], row: PreparedRow & { owner: string | null }): { owner: DirectoryUser | undefined } | { failed: RowResult } {
  if (row.owner === null) return { owner: undefined };
  const cell = row.owner.toLowerCase();
  const owner = users.find((u) => u.status === 'active' && (u.userId === row.owner || u.email.toLowerCase() === cell));
  return owner ? { owner } : { failed: failedRow(row, columnOf(job, 'ownerId'), `No active user "${row.owner}" (a user id or email)`) };
}

/** A duplicate an entity does not update here: skipped or reported, as the import asks. */
export function duplicateAsAsked(job: ImportJob, row: PreparedRow, why: string, existingId: string, existingOwnerId: string | null = null): RowResult {
  const skip = job.options.onDuplicate === 'skip';
  return duplicateRow(row, skip ? 'skipped' : 'failed', `Duplicate: ${why}${skip ? '; left as it is' : ''}`, existingId, existingOwnerId);
}
