import { exportRequestedV1 } from '../../events/exports/export-requested.v1';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { clock } from '../clock';
import { planCustomerList } from '../customers/customer-list-query';
import { ValidationFailed } from '../errors';
import { fileKeys } from '../files/file-keys';
import { newId } from '../ids';
import { callerEventContext, newEvent } from '../outbox/outbox';
import { assertCanUseSegments, type Segment } from '../segments/segment';
import { canSeeExport, type CreateExportInput, DOWNLOAD_LINK_SECONDS, type DownloadLink, downloadFileName, type ExportJob, listQueryOf, newExportJob } from './export-job';
import { ExportNotFound, type ExportPage, type ExportRepository } from './export-repository';

/** Asking for exports, reading them and their links (docs/integrations.md, "Exports"). */

export interface ExportFiles {
  /** The object's size; undefined once the bucket's lifecycle removed it. */
  size(key: string): Promise<number | undefined>;
  downloadLink(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
}

export interface ExportDeps {
  exports: Pick<ExportRepository, 'create' | 'get' | 'findById' | 'list'>;
  segments: { get(tenantId: string, segmentId: string): Promise<Segment | undefined> };
  files: ExportFiles;
}

/**
 * A queued job and its `crm.export.requested.v1`. Everything a run could refuse is checked here,
 * so it is a 4xx now rather than a failed job later: the filter (as GET /customers checks it,
 * a rep asking for another's book included), the segment and who may use segments.
 */
export async function requestExport(deps: Pick<ExportDeps, 'exports' | 'segments'>, caller: Caller, input: CreateExportInput, correlationId: string): Promise<ExportJob> {
  if (input.segmentId !== undefined) {
    assertCanUseSegments(caller);
    const segment = await deps.segments.get(caller.tenantId, input.segmentId);
    if (!segment) throw new ValidationFailed([{ path: 'segmentId', message: 'No such segment' }]);
    // A leads segment's members are leads: an export of customers (and what belongs to them) has none to take.
    if (segment.audience !== 'customers') throw new ValidationFailed([{ path: 'segmentId', message: `A ${segment.audience} segment selects no customers: export a customers segment` }]);
  } else if (input.entity === 'customers' || input.entity === 'contacts') {
    planCustomerList(listQueryOf(input.filter ?? {}), caller);
  }
  const job = newExportJob(input, { id: newId() }, caller, clock.nowIso());
  const event = newEvent(exportRequestedV1, callerEventContext(caller, correlationId), { exportId: job.id, requestedBy: job.requestedBy, entity: job.entity, format: job.format });
  await deps.exports.create(job, { detailType: exportRequestedV1.detailType, detail: event });
  return job;
}

/** The caller's job, or for an admin anyone's of the tenant; anything else is not found. */
export async function getExport(deps: Pick<ExportDeps, 'exports'>, caller: Caller, exportId: string): Promise<ExportJob> {
  const own = await deps.exports.get(caller.tenantId, caller.userId, exportId);
  const job = own ?? (isAdmin(caller) ? await deps.exports.findById(caller.tenantId, exportId) : undefined);
  if (!job || !canSeeExport(caller, job)) throw new ExportNotFound(exportId);
  return job;
}

/** A fresh link to a completed job's file, while the bucket still keeps it; null otherwise. */
export async function downloadLinkOf(deps: Pick<ExportDeps, 'files'>, job: ExportJob): Promise<DownloadLink | null> {
  if (job.status !== 'completed') return null;
  const key = fileKeys.export(job.tenantId, job.id, job.format);
  if ((await deps.files.size(key)) === undefined) return null;
  const expiresAt = new Date(clock.nowMs() + DOWNLOAD_LINK_SECONDS * 1000).toISOString();
  return { url: await deps.files.downloadLink(key, downloadFileName(job), DOWNLOAD_LINK_SECONDS), expiresAt };
}

/** The caller's own jobs, newest first. */
export async function listExports(deps: Pick<ExportDeps, 'exports'>, caller: Caller, limit: number, cursor: string | undefined): Promise<ExportPage> {
  return deps.exports.list(caller.tenantId, caller.userId, limit, cursor);
}
