import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A contract was drawn up for a customer: active at once, or waiting on its approval (docs/processes.md, "Contracts"). */
export const contractCreatedV1 = defineEvent(
  'crm.contract.created.v1',
  z.object({
    contractId: z.string(),
    customerId: z.string(),
    number: z.string(),
    quoteId: z.nullable(z.string()),
    orderId: z.nullable(z.string()),
    ownerId: z.string(),
    currency: z.string(),
    /** The contract's value, a decimal string in the currency. */
    value: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    status: z.enum(['active', 'pending-approval']),
    /** The approval process it waits on; null when no rule of the `contract` policy applied. */
    processId: z.nullable(z.string()),
  }),
);

export type ContractCreatedV1 = DetailOf<typeof contractCreatedV1>;
