import * as z from 'zod/mini';
import { LEAD_STATUSES } from '../../shared/leads/lead';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A rep put a lead on the nurture list (`POST /leads/{id}/disqualify` with `nurture: true`): not
 * ready to buy, worth mailing until it is. The trigger of a nurture drip (docs/marketing.md,
 * "Automations"). The rep's reason stays on the lead: free text does not ride the bus.
 */
export const leadNurturedV1 = defineEvent(
  'crm.lead.nurtured.v1',
  z.object({
    leadId: z.string(),
    /** The status it left. */
    from: z.enum(LEAD_STATUSES),
    ownerId: z.nullable(z.string()),
  }),
);

export type LeadNurturedV1 = DetailOf<typeof leadNurturedV1>;
