import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { APPROVAL_KINDS } from '../../shared/approvals/approval-policy';

/**
 * An approval passed its step's time limit undecided: it left `fromApproverId`'s inbox and a new
 * approval (`newApprovalId`) in the same step went to `toApproverId`, the manager of the approver it
 * was for or an admin (`via`), or to their delegate (`onBehalfOf`). Committed once, by the sweep.
 */
export const approvalEscalatedV1 = defineEvent(
  'crm.approval.escalated.v1',
  z.object({
    processId: z.string(),
    approvalId: z.string(),
    newApprovalId: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    customerId: z.string(),
    subject: z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number() }),
    step: z.number(),
    fromApproverId: z.string(),
    toApproverId: z.string(),
    onBehalfOf: z.nullable(z.string()),
    via: z.enum(['manager', 'admin']),
    dueAt: z.string(),
    newDueAt: z.string(),
    requesterId: z.string(),
  }),
);

export type ApprovalEscalatedV1 = DetailOf<typeof approvalEscalatedV1>;
