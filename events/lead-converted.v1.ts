import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A lead became a customer (docs/leads.md#conversion), in the transaction that wrote the customer
 * (new, with its own `crm.customer.created.v1`, or an existing one it was attached to), the contact,
 * the optional deal (with `crm.deal.created.v1`) and the timeline entry. Ids only: no name, email
 * or phone on the bus.
 */
export const leadConvertedV1 = defineEvent(
  'crm.lead.converted.v1',
  z.object({
    leadId: z.string(),
    customerId: z.string(),
    /** True when the conversion created the customer, false when it attached the lead to an existing one. */
    customerCreated: z.boolean(),
    /** The contact made of the lead at a company customer; null for a person. */
    contactId: z.nullable(z.string()),
    dealId: z.nullable(z.string()),
    /** The `lead` entry on the customer's timeline that keeps the lead's history. */
    activityId: z.string(),
    /** Who had the lead, and who owns the customer now. */
    leadOwnerId: z.nullable(z.string()),
    customerOwnerId: z.nullable(z.string()),
  }),
);

export type LeadConvertedV1 = DetailOf<typeof leadConvertedV1>;
