import * as z from 'zod/mini';
import type { Caller, Group } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { listCustomersQuery, type ListCustomersQuery, parseListQuery } from '../customers/customer-list-query';
import { ValidationFailed } from '../errors';
import { FILES_KEPT_DAYS } from '../files/file-keys';
import { ULID_PATTERN } from '../id-formats';

/**
 * Exports (docs/integrations.md, "Exports"): a job a user asks for, run by RunExport, that writes
 * the customers the user may see (all, a filter's, a segment's), or the product catalogue, as a CSV or JSON lines file and
 * hands out short-lived links to it. Pure: the request's schema, the job's states, who sees a job,
 * what its views show.
 */

export const EXPORT_ENTITIES = ['customers', 'contacts', 'leads', 'products', 'deals'] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** How long a download link works: long enough to start a download, short enough that a forwarded link is soon dead. */
export const DOWNLOAD_LINK_SECONDS = 900;
/**
 * The most records one export writes: the file is built in the function's memory (512 MB) before
 * it is stored. Past it the job fails, asking for a narrower filter.
 */
export const MAX_EXPORT_ROWS = 200_000;
/** How long the job stays listed (its file goes after FILES_KEPT_DAYS, the bucket's lifecycle). */
export const EXPORT_KEPT_DAYS = 30;
export const EXPORT_PAGE_SIZE = { default: 25, max: 100 } as const;

/** The filters GET /customers takes, as JSON: not its paging. */
const { limit: _limit, cursor: _cursor, ...filterFields } = listCustomersQuery.shape;
export const exportFilter = z.strictObject(filterFields);
export type ExportFilter = z.output<typeof exportFilter>;

/** What a segment or a filter may select: customers, and what belongs to them. */
const OF_CUSTOMERS: readonly ExportEntity[] = ['customers', 'contacts', 'deals'];

export const createExportInput = z
  .strictObject({
    entity: z.enum(EXPORT_ENTITIES),
    format: z.optional(z.enum(EXPORT_FORMATS)),
    /** Export the segment's members (marketers and admins, who use segments). */
    segmentId: z.optional(z.string().check(z.regex(ULID_PATTERN, 'Expected a segment id'))),
    /** Export the customers GET /customers lists with these filters (`owner`, `stage`, `tag`, `updatedFrom`, `updatedTo`, `name`, `email`, `phone`). */
    filter: z.optional(exportFilter),
  })
  .check(
    z.refine((input) => input.segmentId === undefined || input.filter === undefined, { message: 'Export a segment or a filter, not both', path: ['filter'] }),
    // Leads and the catalogue are exported whole (as far as the caller sees them): segments and filters select customers.
    // Contacts and deals are those of the customers a segment or filter selects.
    z.refine((input) => OF_CUSTOMERS.includes(input.entity) || input.segmentId === undefined, { message: 'Segments select customers (and their contacts and deals) only', path: ['segmentId'] }),
    z.refine((input) => OF_CUSTOMERS.includes(input.entity) || input.filter === undefined, { message: 'Filters select customers (and their contacts and deals) only', path: ['filter'] }),
  );
export type CreateExportInput = z.output<typeof createExportInput>;

/** Which customers: a segment's members, a filter's matches, or everything the requester may see. */
export type ExportSelection = { kind: 'segment'; segmentId: string } | { kind: 'filter'; filter: ExportFilter } | { kind: 'all' };

/** Whose eyes the export sees with: the requester's role and team when they asked. */
export interface ExportScope {
  groups: Group[];
  teamId: string | null;
}

export interface ExportJob {
  id: string;
  tenantId: string;
  entity: ExportEntity;
  format: ExportFormat;
  selection: ExportSelection;
  requestedBy: string;
  scope: ExportScope;
  status: ExportStatus;
  /** Records written; null until completed. */
  rows: number | null;
  /** Why it failed, for the requester; null unless failed. */
  failureReason: string | null;
  /** The run that holds the job (a redelivered request starts another; the last one to start wins). */
  runId: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  version: number;
}

/**
 * The filter as GET /customers would read it, with the same rules across fields (email or phone,
 * a range in order), each problem named under `filter`.
 */
export function listQueryOf(filter: ExportFilter): ListCustomersQuery {
  try {
    return parseListQuery(filter);
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    throw new ValidationFailed(error.errors.map((e) => ({ ...e, path: e.path.replace(/^query\./, 'filter.') })));
  }
}

export function selectionOf(input: CreateExportInput): ExportSelection {
  if (input.segmentId !== undefined) return { kind: 'segment', segmentId: input.segmentId };
  if (input.filter !== undefined && Object.keys(input.filter).length > 0) return { kind: 'filter', filter: input.filter };
  return { kind: 'all' };
}

export function newExportJob(input: CreateExportInput, ids: { id: string }, caller: Caller, nowIso: string): ExportJob {
  return {
    id: ids.id,
    tenantId: caller.tenantId,
    entity: input.entity,
    format: input.format ?? 'csv',
    selection: selectionOf(input),
    requestedBy: caller.userId,
    scope: { groups: [...caller.groups], teamId: caller.teamId ?? null },
    status: 'queued',
    rows: null,
    failureReason: null,
    runId: null,
    createdAt: nowIso,
    startedAt: null,
    completedAt: null,
    version: 1,
  };
}

/** The requester as the run sees them: the scope they asked with, never more. */
export function requesterOf(job: ExportJob): Caller {
  return { userId: job.requestedBy, tenantId: job.tenantId, groups: [...job.scope.groups], ...(job.scope.teamId === null ? {} : { teamId: job.scope.teamId }) };
}

/** A job is its requester's; admins see every job of their tenant. Anyone else is told there is none. */
export const canSeeExport = (caller: Caller, job: Pick<ExportJob, 'tenantId' | 'requestedBy'>) => caller.tenantId === job.tenantId && (job.requestedBy === caller.userId || isAdmin(caller));

/**
 * Whether a run may take the job: a queued one, or one a crashed run left running (the retry
 * writes the whole file again). A finished job is never run twice.
 */
export const mayStart = (job: Pick<ExportJob, 'status'>) => job.status === 'queued' || job.status === 'running';

/** The file's name in the browser: `customers-2026-12-08.csv`. */
export const downloadFileName = (job: Pick<ExportJob, 'entity' | 'format' | 'createdAt'>) => `${job.entity}-${job.createdAt.slice(0, 10)}.${job.format}`;

export const contentTypeOf = (format: ExportFormat) => (format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');

/** Until when the bucket keeps the file (its lifecycle rule, rounded up to a day by S3). */
export const fileExpiresAt = (completedAt: string) => new Date(Date.parse(completedAt) + FILES_KEPT_DAYS * 86_400_000).toISOString();

export interface DownloadLink {
  url: string;
  expiresAt: string;
}

/** What GET answers: the job, and for a completed one whose file is still kept, a fresh link. */
export function exportView(job: ExportJob, link: DownloadLink | null) {
  return {
    id: job.id,
    entity: job.entity,
    format: job.format,
    status: job.status,
    segmentId: job.selection.kind === 'segment' ? job.selection.segmentId : null,
    filter: job.selection.kind === 'filter' ? (job.selection.filter as Record<string, string>) : null,
    rows: job.rows,
    failureReason: job.failureReason,
    createdAt: job.createdAt,
    createdBy: job.requestedBy,
    startedAt: job.startedAt,
    completedAt: job.completedAt,
    fileExpiresAt: job.completedAt === null ? null : fileExpiresAt(job.completedAt),
    downloadUrl: link?.url ?? null,
    downloadExpiresAt: link?.expiresAt ?? null,
  };
}
