import * as z from 'zod/mini';
import { IMPORT_ENTITIES } from '../../shared/imports/import-job';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A CSV import ran to its end (docs/integrations.md, "Imports"): what it wrote, skipped and
 * refused. One event for the whole file, not one per row: an import does not flood automations,
 * webhooks or welcome mail unless it was asked to (`options.sendWelcome`).
 */
export const importCompletedV1 = defineEvent(
  'crm.import.completed.v1',
  z.object({
    importId: z.string(),
    entity: z.enum(IMPORT_ENTITIES),
    rows: z.number(),
    written: z.number(),
    created: z.number(),
    updated: z.number(),
    skipped: z.number(),
    failed: z.number(),
  }),
);

export type ImportCompletedV1 = DetailOf<typeof importCompletedV1>;
