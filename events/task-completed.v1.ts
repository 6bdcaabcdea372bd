import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A task was done, in the transaction that wrote its timeline entry (`activityId`, for customer and
 * deal tasks) and moved the customer's last follow-up. Committed once per task, however often
 * completion is sent.
 */
export const taskCompletedV1 = defineEvent(
  'crm.task.completed.v1',
  z.object({
    taskId: z.string(),
    taskType: z.enum(['call', 'email', 'meeting', 'todo']),
    assigneeId: z.string(),
    completedBy: z.string(),
    customerId: z.nullable(z.string()),
    dealId: z.nullable(z.string()),
    leadId: z.nullable(z.string()),
    activityId: z.nullable(z.string()),
    /** Completed after its due time. */
    late: z.boolean(),
  }),
);

export type TaskCompletedV1 = DetailOf<typeof taskCompletedV1>;
