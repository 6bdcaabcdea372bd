import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { APPROVAL_KINDS } from '../../shared/approvals/approval-policy';

/** A step of an approval process opened: its approvers have it in their inbox (docs/processes.md). */
export const approvalRequestedV1 = defineEvent(
  'crm.approval.requested.v1',
  z.object({
    processId: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    customerId: z.string(),
    subject: z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number() }),
    step: z.number(),
    approverIds: z.array(z.string()),
    requesterId: z.string(),
    dueAt: z.nullable(z.string()),
  }),
);

export type ApprovalRequestedV1 = DetailOf<typeof approvalRequestedV1>;
