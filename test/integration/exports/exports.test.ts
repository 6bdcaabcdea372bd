import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createExportInput, newExportJob } from '../../../shared/exports/export-job';
import { ExportRepository } from '../../../shared/exports/export-repository';
import { restoreCell } from '../../../shared/files/formula-cells';
import { call, newTenant, rawTable, settle, stack, tokenFor } from '../client';
import { createCustomer, marketingTenant } from '../marketing-fixtures';

/**
 * Exports end to end through the local runtime (docs/integrations.md, "Exports"): POST /exports
 * queues a job, the bus runs RunExport, the file lands in the S3 stand-in and comes back through
 * the presigned link GET /exports/{id} signs, with only what the requester may see.
 */

interface ExportJob {
  id: string;
  status: string;
  format: string;
  rows: number | null;
  createdAt: string;
  createdBy: string;
  failureReason: string | null;
  downloadUrl: string | null;
  downloadExpiresAt: string | null;
}
interface Problem {
  type: string;
  errors?: { path: string; message: string }[];
}

const INJECTED = '=HYPERLINK("http://x","y")';

async function tenantWithCustomers() {
  const t = await marketingTenant();
  const rep2 = await tokenFor(t.tenant, 'rep-2', ['rep']);
  await createCustomer(t.rep, { name: 'Acme GmbH', phones: ['+49 30 1234567'], tags: ['vip'], consent: { newsletter: true }, customFields: { tier: 'gold' } });
  await createCustomer(t.rep, { name: INJECTED, tags: ['-1'] });
  await createCustomer(rep2, { name: 'Bolt Motors', tags: ['vip'] });
  await createCustomer(t.admin, { name: 'Zeta Pool Co' });
  return { ...t, rep2 };
}

/** Asks for an export, lets the bus run it, and reads the job back. */
async function exported(token: string, body: Record<string, unknown>): Promise<ExportJob> {
  const asked = await call<ExportJob>('POST', '/exports', { token, body });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  expect(asked.body.status).toBe('queued');
  expect(asked.headers.get('location')).toBe(`/exports/${asked.body.id}`);
  await settle();
  const read = await call<ExportJob>('GET', `/exports/${asked.body.id}`, { token });
  expect(read.status).toBe(200);
  return read.body;
}

async function download(job: ExportJob): Promise<{ text: Buffer; disposition: string | null }> {
  expect(job.downloadUrl).toMatch(/X-Amz-Expires=900/);
  const response = await fetch(job.downloadUrl!);
  expect(response.status).toBe(200);
  return { text: Buffer.from(await response.arrayBuffer()), disposition: response.headers.get('content-disposition') };
}

const csvRecords = (body: Buffer) => parse(body, { bom: true, columns: true }) as Record<string, string>[];

describe('exports', () => {
  it("write a rep's own book and an admin's whole tenant as CSV behind a link that names the file", async () => {
    const { rep, admin } = await tenantWithCustomers();

    const mine = await exported(rep, { entity: 'customers' });
    expect(mine).toMatchObject({ status: 'completed', format: 'csv', rows: 2, createdBy: 'rep-1', failureReason: null });
    expect(Date.parse(mine.downloadExpiresAt!)).toBeGreaterThan(Date.parse(mine.createdAt));
    const { text, disposition } = await download(mine);
    expect(disposition).toBe(`attachment; filename="customers-${mine.createdAt.slice(0, 10)}.csv"`);
    const records = csvRecords(text);
    expect(records.map((r) => restoreCell(r.name!)).sort()).toEqual([INJECTED, 'Acme GmbH']);
    const acme = records.find((r) => r.name === 'Acme GmbH')!;
    expect(acme).toMatchObject({ ownerId: 'rep-1', tags: 'vip', 'consent.newsletter': 'yes', 'customFields.tier': 'gold' });
    expect(restoreCell(acme.phones!)).toMatch(/^\+49/);

    const all = await exported(admin, { entity: 'customers' });
    expect(all.rows).toBe(4);
    expect(csvRecords((await download(all)).text).map((r) => restoreCell(r.name!)).sort()).toEqual([INJECTED, 'Acme GmbH', 'Bolt Motors', 'Zeta Pool Co']);
  });

  it('neutralises formula cells in CSV (OWASP), and writes JSON lines as they are', async () => {
    const { rep } = await tenantWithCustomers();
    const csv = await exported(rep, { entity: 'customers', filter: { tag: '-1' } });
    expect(csv.rows).toBe(1);
    const [record] = csvRecords((await download(csv)).text);
    expect(record!.name).toBe(`'${INJECTED}`);
    expect(record!.tags).toBe(`'-1`);

    const jsonl = await exported(rep, { entity: 'customers', format: 'jsonl' });
    const { text, disposition } = await download(jsonl);
    expect(disposition).toContain('.jsonl"');
    const lines = text.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.map((l) => l.name).sort()).toEqual([INJECTED, 'Acme GmbH']);
    expect(lines.find((l) => l.name === 'Acme GmbH')).toMatchObject({ 'consent.newsletter': 'yes', 'customFields.tier': 'gold', ownerId: 'rep-1' });
  });

  it("export a segment's members for marketers; a rep may not export a segment", async () => {
    const { marketer, rep } = await tenantWithCustomers();
    const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'VIPs', definition: { tags: { any: ['vip'] } } } });
    expect(segment.status).toBe(201);
    const job = await exported(marketer, { entity: 'customers', segmentId: segment.body.id });
    expect(job.rows).toBe(2);
    expect(csvRecords((await download(job)).text).map((r) => r.name).sort()).toEqual(['Acme GmbH', 'Bolt Motors']);
    expect((await call('POST', '/exports', { token: rep, body: { entity: 'customers', segmentId: segment.body.id } })).status).toBe(403);
  });

  it("are read by their requester and admins only, and listed to their requester, newest first", async () => {
    const { rep, rep2, admin } = await tenantWithCustomers();
    const first = await exported(rep, { entity: 'customers' });
    const second = await exported(rep, { entity: 'customers', format: 'jsonl' });

    const other = await call<Problem>('GET', `/exports/${first.id}`, { token: rep2 });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect((await call<ExportJob>('GET', `/exports/${first.id}`, { token: admin })).body).toMatchObject({ id: first.id, status: 'completed', createdBy: 'rep-1' });

    const listed = await call<{ items: ExportJob[]; cursor: string | null }>('GET', '/exports', { token: rep });
    expect(listed.body.items.map((j) => j.id)).toEqual([second.id, first.id]);
    expect(listed.body.items.every((j) => j.downloadUrl === null)).toBe(true);
    const paged = await call<{ items: ExportJob[]; cursor: string | null }>('GET', '/exports?limit=1', { token: rep });
    expect(paged.body.items.map((j) => j.id)).toEqual([second.id]);
    expect((await call<{ items: ExportJob[] }>('GET', `/exports?limit=1&cursor=${paged.body.cursor}`, { token: rep })).body.items.map((j) => j.id)).toEqual([first.id]);
    expect((await call<{ items: ExportJob[] }>('GET', '/exports', { token: rep2 })).body.items).toEqual([]);
  });

  it('answer bad input with a 400 problem naming the field, and queue nothing', async () => {
    const { rep } = await tenantWithCustomers();
    const refused = async (body: unknown) => {
      const res = await call<Problem>('POST', '/exports', { token: rep, body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      return res.body.errors?.map((e) => e.path);
    };
    expect(await refused({ entity: 'orders' })).toEqual(['entity']);
    expect(await refused({ entity: 'customers', segmentId: '01JD0000000000000000000SEG', filter: { stage: 'lead' } })).toEqual(['filter']);
    expect(await refused({ entity: 'customers', filter: { colour: 'red' } })).toEqual(['filter.colour']);
    expect(await refused({ entity: 'customers', filter: { email: 'a@example.com', phone: '+49 30 1' } })).toEqual(['filter.phone']);
    expect(await refused({ entity: 'customers', format: 'xlsx' })).toEqual(['format']);
    expect((await call('POST', '/exports', { token: rep, body: { entity: 'customers', filter: { owner: 'rep-2' } } })).status).toBe(403);
    expect((await call<{ items: unknown[] }>('GET', '/exports', { token: rep })).body.items).toEqual([]);
  });

  it('tell the bus: crm.export.requested.v1 runs RunExport, crm.export.completed.v1 comes once per export with its count and no customer data', async () => {
    const { rep, tenant } = await tenantWithCustomers();
    const job = await exported(rep, { entity: 'customers', filter: { tag: 'vip' } });
    type BusRecord = { event: { detail: { tenantId: string; data: Record<string, unknown> } }; matchedRules: string[] };
    const of = async (detailType: string) =>
      (await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`)).body.events.filter((r) => r.event.detail.tenantId === tenant && r.event.detail.data.exportId === job.id);
    const [requested] = await of('crm.export.requested.v1');
    expect(requested!.matchedRules.some((rule) => rule.startsWith('ExportRequestedToRunExport'))).toBe(true);
    const completed = await of('crm.export.completed.v1');
    expect(completed.map((r) => r.event.detail.data)).toEqual([{ exportId: job.id, requestedBy: 'rep-1', entity: 'customers', format: 'csv', rows: 1, selection: 'filter' }]);
  });
});

describe('export jobs in the table (DynamoDB Local)', () => {
  it('finish once: of two runs that took a job the later one wins, and a finished job is never taken again', async () => {
    const repository = new ExportRepository(rawTable(), stack().tableName);
    const caller = { userId: 'rep-1', tenantId: newTenant(), groups: ['rep' as const] };
    const job = newExportJob(createExportInput.parse({ entity: 'customers' }), { id: '01JD00000000000000000000X1' }, caller, new Date().toISOString());
    const event = (id: string) => ({ detailType: 'crm.export.completed.v1', detail: { id } });
    await repository.create(job, { detailType: 'crm.export.requested.v1', detail: { id: '01JD00000000000000000000X2' } });

    const first = await repository.start(job, 'run-a', new Date().toISOString());
    const second = await repository.start(job, 'run-b', new Date().toISOString());
    expect([first?.runId, second?.runId]).toEqual(['run-a', 'run-b']);
    expect(await repository.complete(job, 'run-a', 3, new Date().toISOString(), event('01JD00000000000000000000X3'))).toBe(false);
    expect(await repository.fail(job, 'run-a', 'late', new Date().toISOString())).toBe(false);
    expect(await repository.complete(job, 'run-b', 3, new Date().toISOString(), event('01JD00000000000000000000X4'))).toBe(true);
    expect(await repository.start(job, 'run-c', new Date().toISOString())).toBeUndefined();
    expect(await repository.get(caller.tenantId, 'rep-1', job.id)).toMatchObject({ status: 'completed', rows: 3, runId: 'run-b', entity: 'customers' });
    expect(await repository.findById(caller.tenantId, job.id)).toMatchObject({ id: job.id, requestedBy: 'rep-1' });
  });
});
