import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { createCustomerInput, type Customer, newCustomer } from '../../../shared/customers/customer';
import type { ListPlan } from '../../../shared/customers/customer-list-query';
import { createExportInput, type ExportJob, newExportJob } from '../../../shared/exports/export-job';
import { type ExportRunDeps, runExport } from '../../../shared/exports/export-run-use-case';
import type { Segment } from '../../../shared/segments/segment';

const NOW = '2026-12-08T10:00:00.000Z';
const manager: Caller = { userId: 'manager-1', tenantId: 't1', groups: ['manager'], teamId: 'team-a' };
const customer = (id: string, name: string, owner: Caller) => newCustomer(createCustomerInput.parse({ name, consent: id === 'C2' ? { events: true } : undefined }), owner, id, NOW);

/** The job store's rules as the repository's conditions state them (the integration test holds DynamoDB to them). */
function fakes(job: ExportJob, pages: Customer[][], options: { segment?: Segment; completeWins?: boolean } = {}) {
  let stored = { ...job };
  const written: { key: string; body: Buffer; contentType: string }[] = [];
  const completions: { rows: number; event: { detailType: string; detail: unknown } }[] = [];
  const plans: ListPlan[] = [];
  const deps: ExportRunDeps = {
    exports: {
      get: async () => stored,
      start: async (_job, runId, at) => (stored.status === 'queued' || stored.status === 'running' ? (stored = { ...stored, status: 'running', runId, startedAt: at }) : undefined),
      complete: async (_job, runId, rows, at, event) => {
        if (options.completeWins === false || stored.runId !== runId) return false;
        stored = { ...stored, status: 'completed', rows, completedAt: at };
        completions.push({ rows, event });
        return true;
      },
      fail: async (_job, runId, reason, at) => {
        if (stored.runId !== runId) return false;
        stored = { ...stored, status: 'failed', failureReason: reason, completedAt: at };
        return true;
      },
    },
    customers: {
      page: async (plan, _caller, cursor) => {
        plans.push(plan);
        const index = cursor === undefined ? 0 : Number(cursor);
        return { items: pages[index] ?? [], cursor: index + 1 < pages.length ? String(index + 1) : null };
      },
    },
    segments: { get: async () => options.segment },
    segmentReader: { read: async () => ({ customers: pages.flat(), leads: [], scanned: pages.flat().length, next: null }), contactsOf: async () => ({ contacts: [], scanned: 0 }) },
    customFields: { list: async () => [] },
    files: { write: async (key, body, contentType) => void written.push({ key, body, contentType }) },
    products: { list: async () => ({ items: [], cursor: null }) },
    leads: { listByStatus: async () => ({ items: [], lastEvaluatedKey: undefined }) },
    contacts: { list: async () => [] },
    deals: { ofCustomer: async () => [] },
    dealLists: { page: async () => ({ items: [], cursor: null }) },
    pipelines: { list: async () => [] },
    spoolDir: mkdtempSync(join(tmpdir(), 'export-test-')),
  };
  return { deps, written, completions, plans, stored: () => stored };
}

const requested = (job: ExportJob) => ({
  id: 'bus-1',
  'detail-type': 'crm.export.requested.v1',
  source: 'crm',
  time: NOW,
  detail: { id: '01JD00000000000000000000E1', type: 'crm.export.requested.v1', occurredAt: NOW, tenantId: job.tenantId, actor: { type: 'user', id: job.requestedBy }, correlationId: 'req-1', data: { exportId: job.id, requestedBy: job.requestedBy, entity: job.entity, format: job.format } },
});

describe('running an export', () => {
  it("reads every page of the requester's list with their scope, writes the file and completes the job with its event, leaving no spool behind", async () => {
    const job = newExportJob(createExportInput.parse({ entity: 'customers', filter: { stage: 'lead' } }), { id: '01JD00000000000000000000E0' }, manager, NOW);
    const run = fakes(job, [[customer('C1', 'Acme', manager)], [customer('C2', 'Bolt', manager)], []]);

    expect(await runExport(run.deps, requested(job))).toEqual({ status: 'completed', rows: 2 });

    expect(run.plans).toHaveLength(3);
    expect(run.plans[0]).toMatchObject({ kind: 'query', filter: { managedTeam: { teamId: 'team-a' } } });
    const [file] = run.written;
    expect(file!.key).toBe(`tenants/t1/exports/${job.id}.csv`);
    const [header, ...rows] = parse(file!.body, { bom: true }) as string[][];
    expect(header).toContain('consent.events');
    expect(rows.map((r) => r[header!.indexOf('name')])).toEqual(['Acme', 'Bolt']);
    expect(run.completions).toEqual([{ rows: 2, event: expect.objectContaining({ detailType: 'crm.export.completed.v1', detail: expect.objectContaining({ actor: { type: 'system', id: 'exports' }, correlationId: 'req-1', data: expect.objectContaining({ rows: 2, selection: 'filter' }) }) }) }]);
    expect(readdirSync(run.deps.spoolDir)).toEqual([]);
  });

  it('fails the job with a reason when its segment is gone, and writes nothing', async () => {
    const job = newExportJob(createExportInput.parse({ entity: 'customers', segmentId: '01JD0000000000000000000SEG' }), { id: '01JD00000000000000000000E0' }, { ...manager, groups: ['marketer'] }, NOW);
    const run = fakes(job, []);

    expect(await runExport(run.deps, requested(job))).toEqual({ status: 'failed', reason: 'The segment was deleted before the export ran' });
    expect(run.stored()).toMatchObject({ status: 'failed', failureReason: 'The segment was deleted before the export ran' });
    expect(run.written).toEqual([]);
  });

  it('does nothing for a job already finished (a redelivered event)', async () => {
    const job = { ...newExportJob(createExportInput.parse({ entity: 'customers' }), { id: '01JD00000000000000000000E0' }, manager, NOW), status: 'completed' as const };
    const run = fakes(job, [[customer('C1', 'Acme', manager)]]);

    expect(await runExport(run.deps, requested(job))).toEqual({ status: 'skipped' });
    expect(run.plans).toEqual([]);
    expect(run.written).toEqual([]);
  });

  it('tells no completion when a later run took the job meanwhile', async () => {
    const job = newExportJob(createExportInput.parse({ entity: 'customers' }), { id: '01JD00000000000000000000E0' }, manager, NOW);
    const run = fakes(job, [[customer('C1', 'Acme', manager)]], { completeWins: false });

    expect(await runExport(run.deps, requested(job))).toEqual({ status: 'superseded' });
    expect(run.completions).toEqual([]);
  });
});
