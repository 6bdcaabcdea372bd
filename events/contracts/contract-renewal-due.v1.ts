import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/**
 * An active contract reached its renewal notice (`endsOn` less its notice days): raised once, by
 * the renewal sweep, in the commit that opened the owner's renewal task (docs/processes.md, "Contracts").
 */
export const contractRenewalDueV1 = defineEvent(
  'crm.contract.renewal-due.v1',
  z.object({
    contractId: z.string(),
    customerId: z.string(),
    number: z.string(),
    ownerId: z.string(),
    endsOn: z.string(),
    renewalNoticeDays: z.number(),
    currency: z.string(),
    value: z.string(),
    /** The renewal task opened for the owner in the same commit. */
    taskId: z.string(),
  }),
);

export type ContractRenewalDueV1 = DetailOf<typeof contractRenewalDueV1>;
