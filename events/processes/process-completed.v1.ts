import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';
import { APPROVAL_KINDS } from '../../shared/approvals/approval-policy';

/** An approval process ended: approved, rejected, recalled by its requester, or stale (its subject changed under it). */
export const processCompletedV1 = defineEvent(
  'crm.process.completed.v1',
  z.object({
    processId: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    customerId: z.string(),
    subject: z.object({ type: z.enum(['quote', 'contract']), id: z.string(), version: z.number() }),
    outcome: z.enum(['approved', 'rejected', 'recalled', 'stale']),
    requesterId: z.string(),
  }),
);

export type ProcessCompletedV1 = DetailOf<typeof processCompletedV1>;
