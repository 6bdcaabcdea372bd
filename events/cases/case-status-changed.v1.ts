import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from '../envelope';

const status = z.enum(['new', 'open', 'pending-customer', 'resolved', 'closed']);

/** A case moved to another status or another assignee (by a patch, a reply or resolution). */
export const caseStatusChangedV1 = defineEvent(
  'crm.case.status-changed.v1',
  z.object({
    caseId: z.string(),
    customerId: z.string(),
    from: status,
    to: status,
    assigneeId: z.nullable(z.string()),
    /** The assignee before the change (routing drains the queue for an agent a case left); absent on events written before routing. */
    fromAssigneeId: z.optional(z.nullable(z.string())),
  }),
);

export type CaseStatusChangedV1 = DetailOf<typeof caseStatusChangedV1>;
