import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/** A follow-up task was opened for an assignee (by a person, by lead routing, or as an activity's next step). Ids and times only. */
export const taskCreatedV1 = defineEvent(
  'crm.task.created.v1',
  z.object({
    taskId: z.string(),
    taskType: z.enum(['call', 'email', 'meeting', 'todo']),
    assigneeId: z.string(),
    dueAt: z.iso.datetime(),
    customerId: z.nullable(z.string()),
    dealId: z.nullable(z.string()),
    leadId: z.nullable(z.string()),
    source: z.enum(['user', 'lead-routing', 'next-step', 'case-survey', 'contract-renewal']),
  }),
);

export type TaskCreatedV1 = DetailOf<typeof taskCreatedV1>;
