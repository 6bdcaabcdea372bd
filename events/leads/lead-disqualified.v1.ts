import * as z from 'zod/mini';
import { LEAD_STATUSES } from '../../shared/leads/lead';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A rep ruled a lead out (`POST /leads/{id}/disqualify` without `nurture`): it leaves its owner's
 * open leads. The rep's reason stays on the lead: free text does not ride the bus.
 */
export const leadDisqualifiedV1 = defineEvent(
  'crm.lead.disqualified.v1',
  z.object({
    leadId: z.string(),
    /** The status it left. */
    from: z.enum(LEAD_STATUSES),
    ownerId: z.nullable(z.string()),
  }),
);

export type LeadDisqualifiedV1 = DetailOf<typeof leadDisqualifiedV1>;
