import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * A lead's personal data was erased on request (docs/privacy.md, "Leads"): the lead's id and the
 * time only, no name, email or phone, so the event can stay on the bus and in its archive. The
 * admin who erased is the envelope's `actor`. Consumers that copied a lead's personal data
 * elsewhere delete it on this event.
 */
export const leadErasedV1 = defineEvent(
  'crm.lead.erased.v1',
  z.object({
    leadId: z.string().check(z.minLength(1)),
    erasedAt: z.iso.datetime(),
  }),
);

export type LeadErasedV1 = DetailOf<typeof leadErasedV1>;
