import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { APPROVAL_KINDS } from '../../shared/approvals/approval-policy';

/** An approver approved or rejected their part of a step; `stepOutcome` when that closed the step. */
export const approvalDecidedV1 = defineEvent(
  'crm.approval.decided.v1',
  z.object({
    processId: z.string(),
    approvalId: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    customerId: z.string(),
    subject: z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number() }),
    step: z.number(),
    decision: z.enum(['approved', 'rejected']),
    approverId: z.string(),
    onBehalfOf: z.nullable(z.string()),
    hasComment: z.boolean(),
    stepOutcome: z.nullable(z.enum(['approved', 'rejected'])),
  }),
);

export type ApprovalDecidedV1 = DetailOf<typeof approvalDecidedV1>;
