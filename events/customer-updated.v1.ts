import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A customer's record changed. It names the changed fields, not their values: consumers that
 * need values read the customer, so personal data does not spread through the bus and archive.
 */
export const customerUpdatedV1 = defineEvent(
  'crm.customer.updated.v1',
  z.object({
    customerId: z.string(),
    changedFields: z.array(z.string()).check(z.minLength(1)),
    version: z.number(),
  }),
);

export type CustomerUpdatedV1 = DetailOf<typeof customerUpdatedV1>;
