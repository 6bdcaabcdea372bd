import * as z from 'zod/mini';
import { TASK_SOURCES, TASK_STATUSES, TASK_TYPES, type taskView } from '../../shared/tasks/task';

const instant = z.string().check(z.meta({ format: 'date-time', description: 'ISO 8601 time (UTC)' }));
const nullableInstant = z.nullable(instant);

/** `taskView`: a task as every /tasks route answers it. */
export const taskResponse = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(TASK_TYPES),
  status: z.enum(TASK_STATUSES),
  dueAt: instant,
  remindAt: nullableInstant,
  reminderSentAt: nullableInstant,
  reminderFailure: z.nullable(z.string()),
  customerId: z.nullable(z.string().check(z.describe('The customer (for a deal task, the deal’s customer); null for a lead task'))),
  dealId: z.nullable(z.string()),
  leadId: z.nullable(z.string()),
  assigneeId: z.string(),
  description: z.nullable(z.string()),
  source: z.enum(TASK_SOURCES),
  outcome: z.nullable(z.string()),
  completionNote: z.nullable(z.string()),
  completedAt: nullableInstant,
  completedBy: z.nullable(z.string()),
  activityId: z.nullable(z.string().check(z.describe('The timeline entry the completion wrote (customer and deal tasks)'))),
  createdAt: instant,
  createdBy: z.string(),
  updatedAt: instant,
  updatedBy: z.string(),
  version: z.number(),
});

export const taskPageResponse = z.object({ items: z.array(taskResponse), cursor: z.nullable(z.string()) });

// Ties the schema to the view: changing one without the other fails tsc.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type _TaskSchemaMatchesTheView = Holds<Equals<z.output<typeof taskResponse>, ReturnType<typeof taskView>>>;
