import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import type { ActivityType } from '../activities/activity';
import { text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { ULID_PATTERN, USER_ID_PATTERN } from '../id-formats';

/**
 * Follow-up tasks (docs/tasks.md): a call, mail, meeting or to-do due at a time, on a customer,
 * a deal or a lead, for one assignee. Pure: rules, schemas, views.
 */

export const TASK_TYPES = ['call', 'email', 'meeting', 'todo'] as const;
export type TaskType = (typeof TASK_TYPES)[number];
export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The lists of GET /tasks: open tasks by their due time (now and the caller's day split them), done ones by completion. */
export const TASK_WINDOWS = ['overdue', 'today', 'upcoming', 'done'] as const;
export type TaskWindow = (typeof TASK_WINDOWS)[number];

/**
 * Where a task came from: a person, lead routing (speed to lead), an activity's next step, or a
 * low satisfaction score on a case (`case-survey`, docs/service.md, "Satisfaction surveys"), or a
 * contract's renewal notice (`contract-renewal`, docs/processes.md, "Contracts").
 */
export const TASK_SOURCES = ['user', 'lead-routing', 'next-step', 'case-survey', 'contract-renewal'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];

export const TASK_PAGE_SIZE = { default: 25, max: 100 } as const;

/** A completed task becomes an entry of the customer's timeline of the matching kind. */
const TIMELINE_TYPE: Record<TaskType, ActivityType> = { call: 'call', email: 'email', meeting: 'meeting', todo: 'note' };
export const timelineTypeOf = (type: TaskType): ActivityType => TIMELINE_TYPE[type];

const recordId = z.string().check(z.regex(ULID_PATTERN, 'Expected an id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));
const userId = z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'));
const instant = z.iso.datetime({ offset: true });

export const createTaskInput = z.strictObject({
  title: text(200),
  type: z.enum(TASK_TYPES),
  dueAt: instant,
  /** Exactly one of customerId, dealId, leadId: what the task follows up. */
  customerId: z.optional(recordId),
  dealId: z.optional(recordId),
  leadId: z.optional(recordId),
  /** Default: you. */
  assigneeId: z.optional(userId),
  /** When the assignee gets a reminder mail; not in the past. */
  remindAt: z.optional(instant),
  description: z.optional(z.string().check(z.maxLength(5000))),
});
export type CreateTaskInput = z.output<typeof createTaskInput>;

/** PATCH /tasks/{id}: a merge patch of an open task; `null` clears `remindAt` and `description`. */
export const taskPatch = z.strictObject({
  title: z.optional(text(200)),
  type: z.optional(z.enum(TASK_TYPES)),
  dueAt: z.optional(instant),
  assigneeId: z.optional(userId),
  remindAt: z.optional(z.nullable(instant)),
  description: z.optional(z.nullable(z.string().check(z.maxLength(5000)))),
});
export type TaskPatch = z.output<typeof taskPatch>;

export const completeTaskInput = z.strictObject({
  /** What came of it ("reached", "voicemail", "meeting booked"...): free text, shown on the timeline. */
  outcome: z.optional(text(200)),
  note: z.optional(z.string().check(z.maxLength(10_000))),
});
export type CompleteTaskInput = z.output<typeof completeTaskInput>;

/** What a task follows up: the record, and the customer whose partition holds it (none for a lead). */
export interface TaskSubject {
  customerId: string | null;
  dealId: string | null;
  leadId: string | null;
}

export interface Task extends TaskSubject {
  id: string;
  title: string;
  type: TaskType;
  status: TaskStatus;
  dueAt: string;
  remindAt: string | null;
  reminderSentAt: string | null;
  /** Why the reminder could not go out (the assignee has no address in the directory). */
  reminderFailure: string | null;
  assigneeId: string;
  description: string | null;
  source: TaskSource;
  outcome: string | null;
  completionNote: string | null;
  completedAt: string | null;
  completedBy: string | null;
  /** The timeline entry the completion wrote (customer and deal tasks). */
  activityId: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

const iso = (value: string) => new Date(value).toISOString();

/** The one record a task input names, or 400 naming `customerId` (none or several). */
export function subjectOf(input: { customerId?: string; dealId?: string; leadId?: string }): { kind: 'customer' | 'deal' | 'lead'; id: string } {
  const named = (['customer', 'deal', 'lead'] as const).flatMap((kind) => {
    const id = input[`${kind}Id`];
    return id === undefined ? [] : [{ kind, id }];
  });
  if (named.length !== 1) {
    throw new ValidationFailed([{ path: 'customerId', message: 'Name exactly one of customerId, dealId or leadId: what the task follows up' }]);
  }
  return named[0]!;
}

/** A reminder is for later: one in the past (a minute of clock skew tolerated) is a 400 naming `remindAt`. */
export function checkRemindAt(remindAt: string | null | undefined, nowMs: number): void {
  if (remindAt && Date.parse(remindAt) < nowMs - 60_000) {
    throw new ValidationFailed([{ path: 'remindAt', message: 'A reminder cannot be in the past' }]);
  }
}

export function newTask(input: CreateTaskInput, subject: TaskSubject, assigneeId: string, caller: Caller, id: string, nowIso: string, source: TaskSource = 'user'): Task {
  return {
    id,
    ...subject,
    title: input.title,
    type: input.type,
    status: 'open',
    dueAt: iso(input.dueAt),
    remindAt: input.remindAt ? iso(input.remindAt) : null,
    reminderSentAt: null,
    reminderFailure: null,
    assigneeId,
    description: input.description ?? null,
    source,
    outcome: null,
    completionNote: null,
    completedAt: null,
    completedBy: null,
    activityId: null,
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

/** The task after a patch; a changed `remindAt` arms the reminder again. */
export function patchedTask(task: Task, patch: TaskPatch, caller: Caller, nowIso: string): Task {
  const remindAt = patch.remindAt === undefined ? task.remindAt : patch.remindAt === null ? null : iso(patch.remindAt);
  return {
    ...task,
    title: patch.title ?? task.title,
    type: patch.type ?? task.type,
    dueAt: patch.dueAt ? iso(patch.dueAt) : task.dueAt,
    assigneeId: patch.assigneeId ?? task.assigneeId,
    description: patch.description === undefined ? task.description : patch.description,
    remindAt,
    reminderSentAt: remindAt === task.remindAt ? task.reminderSentAt : null,
    reminderFailure: remindAt === task.remindAt ? task.reminderFailure : null,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: task.version + 1,
  };
}

export function completedTask(task: Task, input: CompleteTaskInput, caller: Caller, activityId: string | null, nowIso: string): Task {
  return {
    ...task,
    status: 'done',
    outcome: input.outcome ?? null,
    completionNote: input.note ?? null,
    completedAt: nowIso,
    completedBy: caller.userId,
    activityId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: task.version + 1,
  };
}

/** Whether the reminder still has to go out (the sweep's index holds exactly these tasks). */
export const reminderPending = (task: Pick<Task, 'status' | 'remindAt' | 'reminderSentAt' | 'reminderFailure'>) =>
  task.status === 'open' && task.remindAt !== null && task.reminderSentAt === null && task.reminderFailure === null;

/**
 * The key range of one list of GET /tasks, on the assignee's open (by due time) or done (by
 * completion) index partition. `now` splits overdue from today; the end of the caller's day (in
 * `timeZone`) splits today from upcoming. Sort keys are `<instant>#<id>`, so `< now` excludes a
 * task due exactly now and `>= end` includes one due exactly at midnight: the lists are disjoint.
 */
export function taskWindowRange(window: TaskWindow, nowMs: number, timeZone: string): { status: TaskStatus; from?: string; before?: string; newestFirst: boolean } {
  const now = new Date(nowMs).toISOString();
  const endOfDay = new Date(endOfLocalDay(nowMs, timeZone)).toISOString();
  switch (window) {
    case 'overdue':
      return { status: 'open', before: now, newestFirst: false };
    case 'today':
      return { status: 'open', from: now, before: endOfDay, newestFirst: false };
    case 'upcoming':
      return { status: 'open', from: endOfDay, newestFirst: false };
    case 'done':
      return { status: 'done', newestFirst: true };
  }
}

/** The IANA time zone of `?tz=`, or 400 naming `query.tz`. */
export function parseTimeZone(value: string | undefined): string {
  if (value === undefined) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new ValidationFailed([{ path: 'query.tz', message: 'Expected an IANA time zone such as Europe/Berlin' }]);
  }
}

/** The instant the caller's current day ends (their next local midnight). */
export function endOfLocalDay(nowMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hourCycle: 'h23' })
      .formatToParts(new Date(nowMs))
      .map((p) => [p.type, p.value]),
  );
  // Local midnight of the next day, first read as if it were UTC, then shifted by the zone's offset there.
  const naive = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day) + 1);
  const offset = zoneOffsetMs(naive, timeZone);
  const candidate = naive - offset;
  // Across a DST change the offset at the candidate may differ from the one at the naive instant.
  const corrected = naive - zoneOffsetMs(candidate, timeZone);
  return corrected > nowMs ? corrected : candidate;
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function zoneOffsetMs(atMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
      .formatToParts(new Date(atMs))
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(atMs / 1000) * 1000;
}

export function taskView(task: Task) {
  return {
    id: task.id,
    title: task.title,
    type: task.type,
    status: task.status,
    dueAt: task.dueAt,
    remindAt: task.remindAt,
    reminderSentAt: task.reminderSentAt,
    reminderFailure: task.reminderFailure,
    customerId: task.customerId,
    dealId: task.dealId,
    leadId: task.leadId,
    assigneeId: task.assigneeId,
    description: task.description,
    source: task.source,
    outcome: task.outcome,
    completionNote: task.completionNote,
    completedAt: task.completedAt,
    completedBy: task.completedBy,
    activityId: task.activityId,
    createdAt: task.createdAt,
    createdBy: task.createdBy,
    updatedAt: task.updatedAt,
    updatedBy: task.updatedBy,
    version: task.version,
  };
}
