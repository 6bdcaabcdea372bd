import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A lead was captured (docs/leads.md). `disposition` says what became of it: a new lead, or an
 * entry on the timeline of the customer it matched (then `leadId` is that entry's id and
 * `customerId` the customer). Ids and channels only: no name, email or phone on the bus.
 */
export const leadCreatedV1 = defineEvent(
  'crm.lead.created.v1',
  z.object({
    leadId: z.string(),
    disposition: z.enum(['new', 'matched-customer']),
    customerId: z.nullable(z.string()),
    /** Which contact point matched the customer (email, phone, domain); null for a new lead. */
    matchedOn: z.nullable(z.enum(['email', 'phone', 'domain'])),
    channel: z.enum(['api', 'form']),
    formId: z.nullable(z.string()),
  }),
);

export type LeadCreatedV1 = DetailOf<typeof leadCreatedV1>;
