import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A lead reached MQL or SQL, once per level: by its score crossing the tenant's threshold
 * (`by: score`, actor system) or by a rep (`by: rep`; the reason stays on the lead, free text
 * does not ride the bus).
 */
export const leadQualifiedV1 = defineEvent(
  'crm.lead.qualified.v1',
  z.object({
    leadId: z.string(),
    level: z.enum(['mql', 'sql']),
    by: z.enum(['score', 'rep']),
    /** The score when it happened. */
    score: z.number(),
    ownerId: z.nullable(z.string()),
  }),
);

export type LeadQualifiedV1 = DetailOf<typeof leadQualifiedV1>;
