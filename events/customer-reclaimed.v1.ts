import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';
import { ownershipChangeFields, reclaimRule } from './ownership-change';

/** The reclaim sweep took a customer back into a pool. */
export const customerReclaimedV1 = defineEvent(
  'crm.customer.reclaimed.v1',
  z.object({
    ...ownershipChangeFields,
    /** The policy rule that fell due, and its N for this customer's level. */
    rule: reclaimRule,
    days: z.number(),
    policyVersion: z.number(),
  }),
);

export type CustomerReclaimedV1 = DetailOf<typeof customerReclaimedV1>;
