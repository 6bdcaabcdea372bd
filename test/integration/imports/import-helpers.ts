import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { Schemas } from '@serverless-crm/client';
import { call, settle } from '../client';

/** Steps of an import or export as a client takes them: create, upload through the link, run, read the report, download. */

/** What POST /imports answers (with the upload link) and GET /imports/{id} answers (with the report link), as the typed client declares them. */
export type CreatedImport = Schemas['CreateImportResponse'];
export type ImportJob = Schemas['GetImportResponse'];
export interface Problem {
  type: string;
  errors?: { path: string; message: string }[];
}

export async function newImport(token: string, body: Record<string, unknown>): Promise<CreatedImport> {
  const res = await call<CreatedImport>('POST', '/imports', { token, body: { entity: 'customers', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('awaiting-upload');
  return res.body;
}

export async function upload(job: CreatedImport, file: Buffer | string): Promise<void> {
  const res = await fetch(job.upload.url, { method: 'PUT', headers: job.upload.headers, body: file });
  expect(res.status).toBe(200);
}

/** Runs (or dry-runs) an uploaded import to its end and reads it back. */
export async function ran(token: string, job: Pick<ImportJob, 'id'>, body: Record<string, unknown> = {}): Promise<ImportJob> {
  const started = await call<ImportJob>('POST', `/imports/${job.id}/run`, { token, body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await settle();
  const read = await call<ImportJob>('GET', `/imports/${job.id}`, { token });
  expect(read.status).toBe(200);
  return read.body;
}

export async function report(job: ImportJob): Promise<Record<string, string>[]> {
  expect(job.reportUrl).toMatch(/X-Amz-Expires=900/);
  const res = await fetch(job.reportUrl!);
  expect(res.status).toBe(200);
  return parse(Buffer.from(await res.arrayBuffer()), { bom: true, columns: true }) as Record<string, string>[];
}

/** Exports an entity as `token`, lets RunExport write it, checks its row count and downloads it through its link. */
export async function exportedFile(token: string, entity: string, rows: number): Promise<Buffer> {
  const asked = await call<{ id: string }>('POST', '/exports', { token, body: { entity } });
  expect(asked.status).toBe(202);
  await settle();
  const exported = (await call<{ status: string; rows: number; downloadUrl: string }>('GET', `/exports/${asked.body.id}`, { token })).body;
  expect(exported).toMatchObject({ status: 'completed', rows });
  return Buffer.from(await (await fetch(exported.downloadUrl)).arrayBuffer());
}
