import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';
import { reclaimRule } from './ownership-change';

/** The owner is told a customer will be reclaimed at `reclaimAt` unless they follow up. Sent once per cycle. */
export const customerReclaimWarningV1 = defineEvent(
  'crm.customer.reclaim-warning.v1',
  z.object({
    customerId: z.string(),
    ownerId: z.string(),
    reclaimAt: z.iso.datetime(),
    rule: reclaimRule,
    days: z.number(),
    cycle: z.string(),
  }),
);

export type CustomerReclaimWarningV1 = DetailOf<typeof customerReclaimWarningV1>;
