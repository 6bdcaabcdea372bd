import * as z from 'zod/mini';
import { completeTaskInput, createTaskInput, TASK_PAGE_SIZE, TASK_WINDOWS, taskPatch } from '../../shared/tasks/task';
import { staleVersion } from '../responses/common';
import { taskPageResponse, taskResponse } from '../responses/tasks';
import { areaRoutes } from '../route';

const taskId = { id: 'Task id' };
const notVisible = 'No such task, or one you may not see (you are not its assignee and may not read its record).';

/** Follow-up tasks (docs/tasks.md). */
export const TASKS_ROUTES = areaRoutes('tasks', 'sales', [
  {
    method: 'POST',
    path: '/tasks',
    auth: 'jwt',
    handler: 'functions/tasks/create-task.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Open a follow-up task',
      description:
        'A call, email, meeting or to-do due at `dueAt`, on exactly one customer, deal or lead you may read. For yourself by default; managers may assign ' +
        'users of their team, admins anyone in the user directory. `remindAt` sends the assignee one reminder mail then. Commits `crm.task.created.v1`.',
      tags: ['Tasks'],
      requestBody: { schema: createTaskInput, description: 'The task.' },
      success: { status: 201, description: 'Opened.', schema: taskResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: 'Invalid body; none or several of `customerId`, `dealId`, `leadId`, or one you may not read; an `assigneeId` not in the user directory; `remindAt` in the past. Each named in `errors`.',
        403: 'You named an assignee you may not give work to (reps: only themselves; managers: their team).',
      },
    },
  },
  {
    method: 'GET',
    path: '/tasks',
    auth: 'jwt',
    handler: 'functions/tasks/list-tasks.ts',
    access: { table: 'read' },
    doc: {
      summary: 'A to-do list',
      description:
        "One assignee's tasks, one Query per page. `open` (default): every open task, soonest due first; `overdue`: due before now, oldest first; " +
        "`today`: due from now to the end of the day in `tz`; `upcoming`: due after today; `done`: completed, latest first. Reps read their own list, managers their team's, admins anyone's.",
      tags: ['Tasks'],
      queryParameters: {
        assignee: { description: '`me` (default) or a user id.', schema: z.string() },
        when: { description: 'Which list, `open` when absent.', schema: z.enum(['open', ...TASK_WINDOWS]) },
        tz: { description: 'IANA time zone that says where `today` ends, `UTC` when absent.', schema: z.string() },
        limit: { description: `Page size, ${TASK_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(TASK_PAGE_SIZE.max)), TASK_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: 'One page.', schema: taskPageResponse },
      errors: {
        400: 'An unknown `when`, `tz` or `assignee`, a bad `limit` or a foreign `cursor` (`validation-failed`, paths `query.<name>`).',
        403: "Another user's list that is not yours to read.",
      },
    },
  },
  {
    method: 'GET',
    path: '/tasks/{id}',
    auth: 'jwt',
    handler: 'functions/tasks/get-task.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a task',
      description: 'Its assignee, whoever may read its record, and admins.',
      tags: ['Tasks'],
      pathParameters: taskId,
      success: { status: 200, description: 'The task.', schema: taskResponse, headers: ['ETag'] },
      errors: { 404: notVisible },
    },
  },
  {
    method: 'PATCH',
    path: '/tasks/{id}',
    auth: 'jwt',
    handler: 'functions/tasks/update-task.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Change an open task',
      description: 'Merge patch with If-Match: title, type, due time, reminder (`null` clears it; a new time arms it again), assignee (same rules as opening), description.',
      tags: ['Tasks'],
      pathParameters: taskId,
      requestBody: { schema: taskPatch, description: 'The fields to change.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'Changed.', schema: taskResponse, headers: ['ETag'] },
      errors: {
        400: 'Invalid body, `remindAt` in the past or an unknown `assigneeId`, named in `errors`.',
        403: 'An assignee you may not give work to.',
        404: notVisible,
        409: 'The task is done (`task-done`).',
        412: staleVersion('task'),
      },
    },
  },
  {
    method: 'POST',
    path: '/tasks/{id}/complete',
    auth: 'jwt',
    handler: 'functions/tasks/complete-task.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Complete a task',
      description:
        "Done, once: a customer or deal task's call, email, meeting or note (to-do) lands on the customer's timeline with the outcome and note, and counts as a follow-up " +
        '(`lastFollowUpAt`, the reclaim clock), in one transaction with `crm.activity.logged.v1` and `crm.task.completed.v1`. Completing a done task answers it as it was completed, adding nothing.',
      tags: ['Tasks'],
      pathParameters: taskId,
      requestBody: { schema: completeTaskInput, description: 'Optional outcome and note.' },
      success: { status: 200, description: 'The completed task.', schema: taskResponse, headers: ['ETag'] },
      errors: { 400: 'Invalid body.', 404: notVisible, 409: 'The task kept changing while it was completed (`task-conflict`); send it again.' },
    },
  },
]);
