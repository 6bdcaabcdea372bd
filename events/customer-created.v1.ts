import * as z from 'zod/mini';
import { LIFECYCLE_STAGES } from '../shared/customers/customer';
import { defineEvent, type DetailOf } from './envelope';

/** A customer entered the CRM. Consumers: welcome flow (consent-aware), daily stats. */
export const customerCreatedV1 = defineEvent(
  'crm.customer.created.v1',
  z.object({
    customerId: z.string(),
    kind: z.enum(['company', 'person']),
    name: z.string(),
    /** The first email, where mail goes; null when the customer has none. */
    primaryEmail: z.nullable(z.string()),
    ownerId: z.nullable(z.string()),
    lifecycleStage: z.enum(LIFECYCLE_STAGES),
    /** Consent per topic at creation: topic -> opted in. */
    consent: z.record(z.string(), z.boolean()),
  }),
);

export type CustomerCreatedV1 = DetailOf<typeof customerCreatedV1>;
