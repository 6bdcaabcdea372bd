import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { ValidationFailed } from '../../../shared/errors';
import { fieldErrors } from '../../../shared/field-errors';
import {
  canSeeExport,
  createExportInput,
  downloadFileName,
  exportView,
  listQueryOf,
  mayStart,
  newExportJob,
  requesterOf,
} from '../../../shared/exports/export-job';

const NOW = '2026-12-08T10:00:00.000Z';
const rep: Caller = { userId: 'rep-1', tenantId: 't1', groups: ['rep'], teamId: 'team-a' };
const admin: Caller = { userId: 'admin-1', tenantId: 't1', groups: ['admin'] };
const SEGMENT = '01JD0000000000000000000SEG';

const errorsOf = (body: unknown) => {
  const parsed = createExportInput.safeParse(body);
  return parsed.success ? [] : fieldErrors(parsed.error);
};

describe('POST /exports body', () => {
  it('takes an entity, a format, and a segment or a filter', () => {
    expect(errorsOf({ entity: 'customers' })).toEqual([]);
    expect(errorsOf({ entity: 'customers', format: 'jsonl', filter: { stage: 'lead', tag: 'vip' } })).toEqual([]);
    expect(errorsOf({ entity: 'customers', segmentId: SEGMENT })).toEqual([]);
  });

  it('names what is wrong: the entity, the format, an unknown filter, both selections', () => {
    expect(errorsOf({ entity: 'orders' }).map((e) => e.path)).toEqual(['entity']);
    expect(errorsOf({ entity: 'customers', format: 'xlsx' }).map((e) => e.path)).toEqual(['format']);
    expect(errorsOf({ entity: 'customers', filter: { colour: 'red' } }).map((e) => e.path)).toEqual(['filter.colour']);
    expect(errorsOf({ entity: 'customers', filter: { stage: 'hot' } }).map((e) => e.path)).toEqual(['filter.stage']);
    expect(errorsOf({ entity: 'customers', segmentId: SEGMENT, filter: { stage: 'lead' } })).toEqual([{ path: 'filter', message: 'Export a segment or a filter, not both' }]);
  });

  it("does not take GET /customers' paging as a filter", () => {
    expect(errorsOf({ entity: 'customers', filter: { limit: '10' } }).map((e) => e.path)).toEqual(['filter.limit']);
    expect(errorsOf({ entity: 'customers', filter: { cursor: 'x' } }).map((e) => e.path)).toEqual(['filter.cursor']);
  });

  it("checks the filter's rules across fields as GET /customers does, under filter", () => {
    const refused = (filter: Record<string, string>) => {
      try {
        listQueryOf(filter);
        return [];
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        return error.errors.map((e) => e.path);
      }
    };
    expect(refused({ email: 'a@example.com', phone: '+49 30 1' })).toEqual(['filter.phone']);
    expect(refused({ updatedFrom: '2026-02-01T00:00:00Z', updatedTo: '2026-01-01T00:00:00Z' })).toEqual(['filter.updatedTo']);
    expect(refused({ stage: 'lead' })).toEqual([]);
  });
});

describe('an export job', () => {
  it('starts queued as CSV, with the selection and the scope of its requester', () => {
    const job = newExportJob(createExportInput.parse({ entity: 'customers', filter: { stage: 'lead' } }), { id: 'E1' }, rep, NOW);
    expect(job).toMatchObject({ status: 'queued', format: 'csv', selection: { kind: 'filter', filter: { stage: 'lead' } }, requestedBy: 'rep-1', scope: { groups: ['rep'], teamId: 'team-a' }, rows: null });
    expect(requesterOf(job)).toEqual(rep);
    expect(newExportJob(createExportInput.parse({ entity: 'customers', filter: {} }), { id: 'E2' }, admin, NOW).selection).toEqual({ kind: 'all' });
    expect(requesterOf(newExportJob(createExportInput.parse({ entity: 'customers', segmentId: SEGMENT }), { id: 'E3' }, admin, NOW))).toEqual(admin);
  });

  it('is seen by its requester and the tenant admins only', () => {
    const job = { tenantId: 't1', requestedBy: 'rep-1' };
    expect(canSeeExport(rep, job)).toBe(true);
    expect(canSeeExport(admin, job)).toBe(true);
    expect(canSeeExport({ ...rep, userId: 'rep-2' }, job)).toBe(false);
    expect(canSeeExport({ ...rep, userId: 'manager-1', groups: ['manager'] }, job)).toBe(false);
    expect(canSeeExport({ ...admin, tenantId: 't2' }, job)).toBe(false);
  });

  it('is run while queued, or again after a crashed run; never once finished', () => {
    expect(mayStart({ status: 'queued' })).toBe(true);
    expect(mayStart({ status: 'running' })).toBe(true);
    expect(mayStart({ status: 'completed' })).toBe(false);
    expect(mayStart({ status: 'failed' })).toBe(false);
  });

  it('saves as <entity>-<date>.<format>, and shows a link only when given one', () => {
    const job = { ...newExportJob(createExportInput.parse({ entity: 'customers', format: 'jsonl', segmentId: SEGMENT }), { id: 'E1' }, admin, NOW) };
    expect(downloadFileName(job)).toBe('customers-2026-12-08.jsonl');
    expect(exportView(job, null)).toMatchObject({ id: 'E1', status: 'queued', segmentId: SEGMENT, filter: null, downloadUrl: null, downloadExpiresAt: null, fileExpiresAt: null });
    const done = { ...job, status: 'completed' as const, rows: 3, completedAt: NOW };
    expect(exportView(done, { url: 'https://files/x', expiresAt: '2026-12-08T10:15:00.000Z' })).toMatchObject({ rows: 3, downloadUrl: 'https://files/x', fileExpiresAt: '2026-12-15T10:00:00.000Z' });
  });
});
