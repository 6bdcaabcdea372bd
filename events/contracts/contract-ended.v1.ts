import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A contract ended before its term by its owner or a manager: withdrawn while under approval, or terminated while active (docs/processes.md, "Contracts"). */
export const contractEndedV1 = defineEvent(
  'crm.contract.ended.v1',
  z.object({
    contractId: z.string(),
    customerId: z.string(),
    number: z.string(),
    from: z.enum(['pending-approval', 'active']),
    to: z.enum(['withdrawn', 'terminated']),
    endsOn: z.string(),
    /** Whether a reason was given (the text stays on the contract). */
    hasReason: z.boolean(),
  }),
);

export type ContractEndedV1 = DetailOf<typeof contractEndedV1>;
