import * as z from 'zod/mini';
import { EXPORT_ENTITIES, EXPORT_FORMATS, EXPORT_STATUSES, type exportView } from '../../shared/exports/export-job';

/** What the export routes answer (documentation only). */

const instant = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)' }));

export const exportResponse = z.object({
  id: z.string(),
  entity: z.enum(EXPORT_ENTITIES),
  format: z.enum(EXPORT_FORMATS),
  status: z.enum(EXPORT_STATUSES).check(z.describe('`queued`, then `running`, then `completed` (the file is written) or `failed` (`failureReason` says why)')),
  segmentId: z.nullable(z.string()).check(z.describe('The segment exported, when one was')),
  filter: z.nullable(z.record(z.string(), z.string())).check(z.describe('The GET /customers filters applied, when any were')),
  rows: z.nullable(z.number()).check(z.describe('Records written, once completed')),
  failureReason: z.nullable(z.string()),
  createdAt: instant,
  createdBy: z.string(),
  startedAt: z.nullable(instant),
  completedAt: z.nullable(instant),
  fileExpiresAt: z.nullable(instant).check(z.describe('Until when the file is kept (7 days); after it, no link')),
  downloadUrl: z.nullable(z.string()).check(z.describe('A link to the file, signed afresh on each read of a completed export; GET it without the bearer token')),
  downloadExpiresAt: z.nullable(instant).check(z.describe('When `downloadUrl` stops working (15 minutes)')),
});
export const exportPageResponse = z.object({ items: z.array(exportResponse), cursor: z.nullable(z.string()) });

// Ties the schema to the view: changing one without the other fails tsc.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _ExportSchemaMatchesTheView = Holds<Equals<z.output<typeof exportResponse>, ReturnType<typeof exportView>>>;
