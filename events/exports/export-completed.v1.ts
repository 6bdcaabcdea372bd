import * as z from 'zod/mini';
import { EXPORT_ENTITIES } from '../../shared/exports/export-job';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * An export's file is written (docs/integrations.md, "Exports"): told with the job's `completed`
 * in one transaction, once per export. An audit trail of who took how many records out of the
 * CRM; the download link is not in it (GET /exports/{id} signs a fresh one for the requester).
 */
export const exportCompletedV1 = defineEvent(
  'crm.export.completed.v1',
  z.object({
    exportId: z.string(),
    requestedBy: z.string(),
    entity: z.enum(EXPORT_ENTITIES),
    format: z.enum(['csv', 'jsonl']),
    /** Records written (CSV: data rows, the header not counted). */
    rows: z.number(),
    /** How the records were chosen: a segment, a filter, or the requester's whole view. */
    selection: z.enum(['segment', 'filter', 'all']),
  }),
);

export type ExportCompletedV1 = DetailOf<typeof exportCompletedV1>;
