import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/** A customer entered the CRM. Consumers: welcome flow (consent-aware), daily stats. */
export const customerCreatedV1 = defineEvent(
  'crm.customer.created.v1',
  z.object({
    customerId: z.string(),
    name: z.string(),
    email: z.string(),
    ownerId: z.nullable(z.string()),
    consent: z.object({ marketing: z.boolean() }),
  }),
);

export type CustomerCreatedV1 = DetailOf<typeof customerCreatedV1>;
