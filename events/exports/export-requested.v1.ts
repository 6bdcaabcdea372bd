import * as z from 'zod/mini';
import { EXPORT_ENTITIES } from '../../shared/exports/export-job';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A user asked for an export (docs/integrations.md, "Exports"): written with the queued job in one
 * transaction. The rule on it invokes RunExport, which reads the job (its selection and the
 * requester's scope) by these ids; the event itself carries no filter and no customer data.
 */
export const exportRequestedV1 = defineEvent(
  'crm.export.requested.v1',
  z.object({
    exportId: z.string(),
    /** The user who asked: the job lives in their partition, and the export holds what they may see. */
    requestedBy: z.string(),
    entity: z.enum(EXPORT_ENTITIES),
    format: z.enum(['csv', 'jsonl']),
  }),
);

export type ExportRequestedV1 = DetailOf<typeof exportRequestedV1>;
