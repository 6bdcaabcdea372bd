import { S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/access/caller';
import { batchGetAll } from '../../../shared/aws/batch-items';
import { S3Objects } from '../../../shared/aws/s3-objects';
import { ContactRepository } from '../../../shared/contacts/contact-repository';
import { CustomFieldRepository } from '../../../shared/custom-fields/custom-field-repository';
import { CustomerRepository } from '../../../shared/customers/customer-repository';
import { fileKeys } from '../../../shared/files/file-keys';
import { derivedId } from '../../../shared/ids';
import { CustomerRowRepository } from '../../../shared/imports/customer-row-repository';
import type { CustomerRow } from '../../../shared/imports/customer-columns';
import { writeCustomerRow } from '../../../shared/imports/customer-row-writer';
import type { PreparedRow } from '../../../shared/imports/import-rows';
import { ImportRepository } from '../../../shared/imports/import-repository';
import { GuardHolderRepository } from '../../../shared/imports/guard-holder-repository';
import { LeadRepository } from '../../../shared/leads/lead-repository';
import { ProductRepository } from '../../../shared/products/product-repository';
import { completeImport, type ImportRunDeps, prepareImport, writeImportChunk } from '../../../shared/imports/import-run-use-cases';
import { cancelImport, createImport, type ImportDeps, type ImportRunInput, runImport } from '../../../shared/imports/import-use-cases';
import { keys } from '../../../shared/keys';
import { DealRepository } from '../../../shared/deals/deal-repository';
import { PipelineRepository } from '../../../shared/pipelines/pipeline-repository';
import { UserDirectory } from '../../../shared/users/user-repository';
import { call, newTenant, rawTable, stack, tokenFor } from '../client';
import { createCustomerInput, newCustomer } from '../../../shared/customers/customer';

/**
 * A crash in the middle of an import (docs/integrations.md, "Resuming"): the flow's steps are
 * driven here one by one against DynamoDB Local and the S3 stand-in, stopping where a crash
 * would, and the resumed run must write every row exactly once and count it once.
 */

const ROWS = 1_200;

function deps(started: ImportRunInput[]): ImportDeps & ImportRunDeps {
  const db = rawTable();
  const { tableName, s3Endpoint } = stack();
  const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const files = new S3Objects(s3, 'import-resume-test');
  return {
    imports: new ImportRepository(db, tableName),
    files,
    customFields: new CustomFieldRepository(db, tableName),
    startFlow: async (input) => void started.push(input),
    rows: new CustomerRowRepository(db, tableName),
    customers: new CustomerRepository(db, tableName),
    users: new UserDirectory(db, tableName),
    contacts: new ContactRepository(db, tableName),
    leads: new LeadRepository(db, tableName),
    guardHolders: new GuardHolderRepository(db, tableName),
    products: new ProductRepository(db, tableName),
    deals: new DealRepository(db, tableName),
    pipelines: new PipelineRepository(db, tableName),
  };
}

/** The customers of the import's rows that exist: one BatchGetItem per 100 rows of their profiles. */
async function profilesOfImport(tenantId: string, importId: string): Promise<number> {
  const profileKeys = Array.from({ length: ROWS }, (_, i) => keys.customer(tenantId, derivedId(importId, 'customer', i + 1)));
  return (await batchGetAll(rawTable(), stack().tableName, profileKeys, { projection: 'PK' })).length;
}

describe('a resumed import', () => {
  it('writes every row once after a crash in a batch, between a guard and its profile, and counts each batch once', async () => {
    const started: ImportRunInput[] = [];
    const d = deps(started);
    const admin: Caller = { tenantId: newTenant(), userId: 'admin-1', groups: ['admin'] };
    const { job } = await createImport(d, admin, { entity: 'customers', options: { onDuplicate: 'skip' } });
    const csv = ['name,emails', ...Array.from({ length: ROWS }, (_, i) => `Row ${i + 1},row-${i + 1}-${job.id.toLowerCase()}@example.com`)].join('\n');
    await d.files.write(fileKeys.importUpload(job.tenantId, job.id), csv, 'text/csv');

    await runImport(d, admin, job.id, {});
    const run = started[0]!;
    const prepared = await prepareImport(d, run);
    expect(prepared).toEqual({ action: 'write', chunks: [0, 1] });

    // The crashed attempt of batch 0: 300 rows written, then row 301 claimed its guard and died.
    const batch = (await d.files.readText(fileKeys.importChunk(job.tenantId, job.id, run.runId, 0)))!.split('\n').map((l) => JSON.parse(l) as PreparedRow<CustomerRow>);
    const running = (await d.imports.get(job.tenantId, job.id))!;
    for (const row of batch.slice(0, 300)) expect((await writeCustomerRow(d, { job: running, users: [], nowIso: new Date().toISOString() }, row)).outcome).toBe('created');
    const crashed = batch[300]!;
    await rawTable().send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.uniqueGuard(job.tenantId, 'email', crashed.input.emails![0]!), entity: 'UniqueGuard', customerId: derivedId(job.id, 'customer', crashed.row) } }));

    // The flow is gone; `/run` with resume starts it again for the same run.
    const resumed = await runImport(d, admin, job.id, { resume: true });
    expect(resumed).toMatchObject({ status: 'running', runId: run.runId, attempt: 2 });
    expect(started[1]).toEqual(run);
    expect(await prepareImport(d, run)).toEqual({ action: 'write', chunks: [0, 1] });
    expect(await writeImportChunk(d, { ...run, chunk: 0 })).toEqual({ written: true });
    expect(await writeImportChunk(d, { ...run, chunk: 1 })).toEqual({ written: true });
    // A batch retried after it was counted writes and counts nothing.
    expect(await writeImportChunk(d, { ...run, chunk: 0 })).toEqual({ written: false });
    expect(await completeImport(d, run)).toEqual({ status: 'completed' });

    const done = (await d.imports.get(job.tenantId, job.id))!;
    expect(done).toMatchObject({ status: 'completed', counts: { rows: ROWS, written: ROWS, created: ROWS, updated: 0, skipped: 0, failed: 0 }, chunks: 2, chunksDone: 2, hasReport: false });
    expect(await profilesOfImport(job.tenantId, job.id)).toBe(ROWS);
  }, 120_000);

  it('a run that crashed between a guard and its profile, then was cancelled, holds no value for good: the guard is freed once abandoned', async () => {
    const started: ImportRunInput[] = [];
    const d = deps(started);
    const tenantId = newTenant();
    const admin: Caller = { tenantId, userId: 'admin-1', groups: ['admin'] };
    const { job } = await createImport(d, admin, { entity: 'customers' });
    const email = `orphan-${job.id.toLowerCase()}@example.com`;
    await d.files.write(fileKeys.importUpload(tenantId, job.id), `name,emails\nOrphan,${email}`, 'text/csv');
    await runImport(d, admin, job.id, {});
    // The crashed attempt: the row claimed its guard as the import claims it, and died before its profile.
    const ghost = derivedId(job.id, 'customer', 1);
    const guardKey = keys.uniqueGuard(tenantId, 'email', email);
    const claimed = (at: Date) => rawTable().send(new PutCommand({ TableName: stack().tableName, Item: { ...guardKey, entity: 'UniqueGuard', customerId: ghost, claimedAt: at.toISOString() } }));
    // The runtime's clock, which other tests may have moved: the API judges a guard's age by it.
    const runtimeNow = Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
    await claimed(new Date(runtimeNow));
    const cancelled = await cancelImport(d, admin, job.id);
    // A batch that was in flight when the import was cancelled is counted when it ends; none starts after.
    const counts = { written: 1, created: 1, updated: 0, skipped: 0, failed: 0 };
    expect(await d.imports.chunkDone(cancelled, started[0]!.runId, 0, counts, { owned: new Map(), boards: [] }, new Date().toISOString())).toBe(true);
    expect(await d.imports.get(tenantId, job.id)).toMatchObject({ status: 'cancelled', counts: { created: 1 }, chunksDone: 1 });
    expect(await writeImportChunk(d, { ...started[0]!, chunk: 1 })).toEqual({ written: false });

    // While a writer could still be between guard and profile, the value is held: the API answers 409.
    const token = await tokenFor(tenantId, 'admin-1', ['admin']);
    const held = await call<{ existingCustomerId?: string }>('POST', '/customers', { token, body: { name: 'Real', emails: [email] } });
    expect(held.status).toBe(409);
    // Past the longest a writer can take, the guard is abandoned: the API's create frees it and takes the value.
    await claimed(new Date(runtimeNow - 30 * 60_000));
    const created = await call<{ id: string }>('POST', '/customers', { token, body: { name: 'Real', emails: [email] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { Item } = await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: guardKey }));
    expect(Item).toMatchObject({ customerId: created.body.id });
    expect(Item?.claimedAt).toBeUndefined();

    // An import's own claim frees an abandoned guard the same way; a guard of a written customer is never taken.
    const other = `orphan-2-${job.id.toLowerCase()}@example.com`;
    await rawTable().send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.uniqueGuard(tenantId, 'email', other), entity: 'UniqueGuard', customerId: ghost, claimedAt: new Date(Date.now() - 30 * 60_000).toISOString() } }));
    const row = (id: string, emails: string[]) => newCustomer(createCustomerInput.parse({ name: 'Row', emails }), admin, id, new Date().toISOString());
    expect(await d.rows.create(row(derivedId(job.id, 'customer', 2), [other]), undefined, [])).toEqual({ written: true });
    expect(await d.rows.create(row(derivedId(job.id, 'customer', 3), [email]), undefined, [])).toEqual({ written: false, taken: { field: 'email', value: email }, holderId: created.body.id });
  });
});

