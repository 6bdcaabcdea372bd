import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

/** A case's SLA target is close to its due time (its policy's warningPercentUsed of the target is used), raised once per target and start by the SLA sweep. */
export const caseSlaWarningV1 = defineEvent(
  'crm.case.sla-warning.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    /** Which target: first response, next response (after a customer message), resolution. */
    target: z.enum(['firstResponse', 'nextResponse', 'resolution']),
    /** The target's due time (null: a warning while the case is paused short of it). */
    dueAt: z.nullable(z.iso.datetime()),
    policyId: z.string(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    assigneeId: z.nullable(z.string()),
  }),
);

export type CaseSlaWarningV1 = DetailOf<typeof caseSlaWarningV1>;
