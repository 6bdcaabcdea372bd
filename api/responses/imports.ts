import * as z from 'zod/mini';
import { IMPORT_ENCODINGS, IMPORT_ENTITIES, IMPORT_STATUSES, ON_DUPLICATE, type importView } from '../../shared/imports/import-job';

/** What the import routes answer (documentation only). */

const instant = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)' }));
const count = (description: string) => z.number().check(z.describe(description));

export const importResponse = z.object({
  id: z.string(),
  entity: z.enum(IMPORT_ENTITIES),
  mapping: z.nullable(z.record(z.string(), z.string())).check(z.describe('CSV column -> field; null: each column is named as its field')),
  options: z.object({
    onDuplicate: z.enum(ON_DUPLICATE),
    sendWelcome: z.boolean(),
    encoding: z.enum(IMPORT_ENCODINGS),
    delimiter: z.nullable(z.string()),
    fileName: z.nullable(z.string()),
  }),
  status: z.enum(IMPORT_STATUSES).check(z.describe('awaiting-upload -> validating -> validated (a dry run) -> running -> completed; or failed (resumable), cancelled')),
  dryRun: z.boolean().check(z.describe('Whether the last run was a dry run (nothing written; the counts say what a run would do)')),
  rows: count('Data rows in the file'),
  written: count('Rows created or updated'),
  created: count('Customers created'),
  updated: count('Existing customers updated (`onDuplicate: update`)'),
  skipped: count('Duplicates left as they were (`onDuplicate: skip`)'),
  failed: count('Invalid rows, and duplicates under `onDuplicate: report`'),
  chunks: count('Batches of the current run'),
  chunksDone: count('Batches written'),
  failure: z.nullable(z.string()).check(z.describe('Why the run failed; `/run` with `{"resume": true}` continues it')),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  completedAt: z.nullable(instant),
  version: z.number(),
});

export const importWithReportResponse = z.object({
  ...importResponse.shape,
  reportUrl: z.nullable(z.string()).check(z.describe('The error CSV (every row not written, with why, and its cells as they were): a link valid 15 minutes, fresh on each read')),
});

export const createdImportResponse = z.object({
  ...importResponse.shape,
  uploadUrl: z.string().check(z.describe('PUT the CSV here (`Content-Type: text/csv`), within the hour')),
  upload: z.object({
    url: z.string(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()).check(z.describe('Headers the upload must carry: the link is signed with them')),
    expiresAt: instant,
  }),
});

export const importPageResponse = z.object({ items: z.array(importResponse), cursor: z.nullable(z.string()) });

// Ties the schema to the view: changing one without the other fails tsc.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _ImportSchemaMatchesTheView = Holds<Equals<z.output<typeof importResponse>, ReturnType<typeof importView>>>;
