import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A case's SLA target passed its due time unmet, raised once per target and start by the SLA sweep. */
export const caseSlaBreachedV1 = defineEvent(
  'crm.case.sla-breached.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    /** Which target: first response, next response (after a customer message), resolution. */
    target: z.enum(['firstResponse', 'nextResponse', 'resolution']),
    /** The target's due time (null only on a warning raised while the case is paused short of it). */
    dueAt: z.nullable(z.iso.datetime()),
    policyId: z.string(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    assigneeId: z.nullable(z.string()),
  }),
);

export type CaseSlaBreachedV1 = DetailOf<typeof caseSlaBreachedV1>;
