import { activityLoggedV1 } from '../../events/activity-logged.v1';
import { taskCompletedV1 } from '../../events/task-completed.v1';
import { taskCreatedV1 } from '../../events/task-created.v1';
import type { Caller } from '../access/caller';
import { isAdmin, overseesReps } from '../access/permissions';
import { isFollowUp, newActivity } from '../activities/activity';
import type { ActivityRepository } from '../activities/activity-repository';
import { TransactionConditionFailed } from '../aws/transact-write';
import { clock } from '../clock';
import { assertLive, canRead, type Customer } from '../customers/customer';
import { canReadDeal, type Deal } from '../deals/deal';
import { Forbidden, StaleVersion, ValidationFailed } from '../errors';
import { newId } from '../ids';
import { type DirectoryUser, isActiveUser } from '../users/user';
import { keys } from '../keys';
import { canReadLead, type Lead } from '../leads/lead';
import { type EventContext, newEvent } from '../outbox/outbox';
import { parseLimit } from '../pagination';
import {
  checkRemindAt,
  type CompleteTaskInput,
  completedTask,
  type CreateTaskInput,
  newTask,
  parseTimeZone,
  patchedTask,
  subjectOf,
  TASK_PAGE_SIZE,
  TASK_WINDOWS,
  type Task,
  type TaskPatch,
  type TaskSource,
  type TaskSubject,
  type TaskWindow,
  taskWindowRange,
  timelineTypeOf,
} from './task';
import { TaskConflict, TaskDone, TaskNotFound } from './task-errors';
import type { StoredTask, TaskRepository } from './task-repository';

/** What the task use cases read and write. */
export interface TaskDeps {
  tasks: TaskRepository;
  activities: Pick<ActivityRepository, 'log'>;
  /** The records a task follows up, to decide who may see it. */
  records: {
    customer(tenantId: string, customerId: string): Promise<Customer | undefined>;
    deal(tenantId: string, dealId: string): Promise<Deal | undefined>;
    lead(tenantId: string, leadId: string): Promise<Lead | undefined>;
  };
  users: { get(tenantId: string, userId: string): Promise<Pick<DirectoryUser, 'teamId' | 'status'> | undefined> };
}

/** Writes retried when another write of the same task or record came first. */
const MAX_ROUNDS = 3;

const context = (caller: Caller, correlationId: string): EventContext => ({ tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId });

/**
 * The record a new task names, if the caller may read it; else 400 naming the field (a task
 * cannot follow up what one cannot see). A deal's task lives with the deal's customer.
 */
async function readableSubject(deps: TaskDeps, caller: Caller, input: CreateTaskInput): Promise<TaskSubject> {
  const { kind, id } = subjectOf(input);
  const unknown = () => new ValidationFailed([{ path: `${kind}Id`, message: `No ${kind} with this id that you may read` }]);
  if (kind === 'lead') {
    const lead = await deps.records.lead(caller.tenantId, id);
    if (!lead || !canReadLead(caller, lead)) throw unknown();
    return { customerId: null, dealId: null, leadId: id };
  }
  const deal = kind === 'deal' ? await deps.records.deal(caller.tenantId, id) : undefined;
  if (kind === 'deal' && !deal) throw unknown();
  const customer = await deps.records.customer(caller.tenantId, deal?.customerId ?? id);
  if (!customer || customer.mergedInto || customer.erasedAt) throw unknown();
  if (deal ? !canReadDeal(caller, customer, deal) : !canRead(caller, customer)) throw unknown();
  return { customerId: customer.id, dealId: deal?.id ?? null, leadId: null };
}

/**
 * Who a task may go to: yourself always; a manager also to the users of their team; an admin to
 * any user of the tenant. Anyone else named is 403; a user the directory does not know is 400.
 */
export async function checkAssignee(deps: Pick<TaskDeps, 'users'>, caller: Caller, assigneeId: string): Promise<void> {
  if (assigneeId === caller.userId) return;
  if (!overseesReps(caller)) throw new Forbidden('You may assign tasks to yourself only; managers assign to their team, admins to anyone');
  const user = await deps.users.get(caller.tenantId, assigneeId);
  if (!user || !isActiveUser(user)) throw new ValidationFailed([{ path: 'assigneeId', message: 'Not an active user of this tenant (see GET /users)' }]);
  if (!isAdmin(caller) && (caller.teamId === undefined || user.teamId !== caller.teamId)) {
    throw new Forbidden('Managers assign tasks to the users of their own team');
  }
}

export const taskPartition = (tenantId: string, task: TaskSubject) => (task.customerId ? keys.customerPartition(tenantId, task.customerId) : keys.leadPartition(tenantId, task.leadId!));

/** `crm.task.created.v1` of a new task, as an outbox entry. */
export function taskCreatedEvent(ctx: EventContext, task: Task) {
  const data = { taskId: task.id, taskType: task.type, assigneeId: task.assigneeId, dueAt: task.dueAt, customerId: task.customerId, dealId: task.dealId, leadId: task.leadId, source: task.source };
  return { detailType: taskCreatedV1.detailType, detail: newEvent(taskCreatedV1, ctx, data) };
}

/** POST /tasks: a task on a record the caller may read, for themselves or (managers, admins) someone they lead. */
export async function createTask(deps: TaskDeps, caller: Caller, input: CreateTaskInput, correlationId: string): Promise<Task> {
  checkRemindAt(input.remindAt, clock.nowMs());
  const subject = await readableSubject(deps, caller, input);
  const assigneeId = input.assigneeId ?? caller.userId;
  await checkAssignee(deps, caller, assigneeId);
  const task = newTask(input, subject, assigneeId, caller, newId(), clock.nowIso());
  return storeNewTask(deps, caller.tenantId, task, context(caller, correlationId));
}

/**
 * Writes a new task with its `crm.task.created.v1`, on the condition that its record is still
 * there. A task whose id exists already (a replayed event) is answered as stored.
 */
async function storeNewTask(deps: Pick<TaskDeps, 'tasks'>, tenantId: string, task: Task, ctx: EventContext): Promise<Task> {
  const partition = taskPartition(tenantId, task);
  const result = await deps.tasks.commit([deps.tasks.createItem(tenantId, partition, task), deps.tasks.parentCheck(tenantId, task), deps.tasks.eventItem(partition, taskCreatedEvent(ctx, task))]);
  if (result.outcome === 'parent-gone') {
    const field = task.dealId ? 'dealId' : task.customerId ? 'customerId' : 'leadId';
    throw new ValidationFailed([{ path: field, message: 'The record was merged, erased or removed meanwhile' }]);
  }
  if (result.outcome === 'task-condition') return (await deps.tasks.get(tenantId, task.id))?.task ?? task;
  return task;
}

/**
 * A task the caller may see: its assignee, or whoever may read its record. Others get 404, as
 * for an id that does not exist.
 */
async function visibleTask(deps: TaskDeps, caller: Caller, taskId: string): Promise<StoredTask> {
  const stored = taskId ? await deps.tasks.get(caller.tenantId, taskId) : undefined;
  if (!stored) throw new TaskNotFound(taskId);
  const { task } = stored;
  if (task.assigneeId === caller.userId || isAdmin(caller)) return stored;
  if (task.leadId) {
    const lead = await deps.records.lead(caller.tenantId, task.leadId);
    if (lead && canReadLead(caller, lead)) return stored;
  } else {
    const customer = await deps.records.customer(caller.tenantId, task.customerId!);
    const deal = task.dealId ? await deps.records.deal(caller.tenantId, task.dealId) : undefined;
    if (customer && (deal ? canReadDeal(caller, customer, deal) : canRead(caller, customer))) {
      assertLive(customer);
      return stored;
    }
  }
  throw new TaskNotFound(taskId);
}

export async function getTask(deps: TaskDeps, caller: Caller, taskId: string): Promise<Task> {
  return (await visibleTask(deps, caller, taskId)).task;
}

/** PATCH /tasks/{id} at the version the caller read (If-Match): title, type, due and reminder times, assignee, description. */
export async function updateTask(deps: TaskDeps, caller: Caller, taskId: string, patch: TaskPatch, expected: number): Promise<Task> {
  checkRemindAt(patch.remindAt, clock.nowMs());
  const { task, tenantId, partition } = await visibleTask(deps, caller, taskId);
  if (task.version !== expected) throw new StaleVersion('task', task.version);
  if (task.status === 'done') throw new TaskDone(taskId);
  if (patch.assigneeId !== undefined && patch.assigneeId !== task.assigneeId) await checkAssignee(deps, caller, patch.assigneeId);
  const next = patchedTask(task, patch, caller, clock.nowIso());
  const result = await deps.tasks.commit([deps.tasks.replaceItem(tenantId, partition, next, expected, true)]);
  if (result.outcome === 'written') return next;
  const current = result.outcome === 'task-condition' ? result.current : undefined;
  if (current?.status === 'done') throw new TaskDone(taskId);
  throw current ? new StaleVersion('task', current.version) : new TaskNotFound(taskId);
}

/**
 * POST /tasks/{id}/complete: the task is done, and for a customer or deal task its call, mail,
 * meeting or note lands on the customer's timeline and counts as a follow-up (the reclaim clock),
 * all in one transaction with `crm.activity.logged.v1` and `crm.task.completed.v1`. Completing a
 * done task answers it as it is: a retried or concurrent completion counts once.
 */
export async function completeTask(deps: TaskDeps, caller: Caller, taskId: string, input: CompleteTaskInput, correlationId: string): Promise<{ task: Task; completedNow: boolean }> {
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const { task, tenantId, partition } = round === 1 ? await visibleTask(deps, caller, taskId) : await reread(deps, caller, taskId);
    if (task.status === 'done') return { task, completedNow: false };
    const nowIso = clock.nowIso();
    const ctx = context(caller, correlationId);
    const activity = task.customerId ? timelineEntry(caller, task, input, nowIso) : undefined;
    const done = completedTask(task, input, caller, activity?.id ?? null, nowIso);
    const completed = {
      detailType: taskCompletedV1.detailType,
      detail: newEvent(taskCompletedV1, ctx, {
        taskId: done.id, taskType: done.type, assigneeId: done.assigneeId, completedBy: caller.userId,
        customerId: done.customerId, dealId: done.dealId, leadId: done.leadId, activityId: done.activityId, late: nowIso > done.dueAt,
      }),
    };
    const taskItems = [deps.tasks.replaceItem(tenantId, partition, done, task.version, true), deps.tasks.eventItem(partition, completed)];
    try {
      if (activity) {
        const followUp = isFollowUp(activity);
        const logged = newEvent(activityLoggedV1, ctx, { customerId: activity.customerId, activityId: activity.id, activityType: activity.type, occurredAt: activity.occurredAt, followUp });
        await deps.activities.log(tenantId, activity, followUp, { detailType: activityLoggedV1.detailType, detail: logged }, taskItems);
      } else {
        const result = await deps.tasks.commit([...taskItems, deps.tasks.parentCheck(tenantId, task)]);
        if (result.outcome === 'parent-gone') throw new TaskNotFound(taskId);
        if (result.outcome === 'task-condition') continue;
      }
      return { task: done, completedNow: true };
    } catch (error) {
      if (error instanceof TransactionConditionFailed && error.failed('task')) continue;
      throw error;
    }
  }
  throw new TaskConflict();
}

async function reread(deps: TaskDeps, caller: Caller, taskId: string): Promise<StoredTask> {
  const stored = await deps.tasks.get(caller.tenantId, taskId);
  if (!stored) throw new TaskNotFound(taskId);
  return stored;
}

function timelineEntry(caller: Caller, task: Task, input: CompleteTaskInput, nowIso: string) {
  const body = [input.outcome ? `Outcome: ${input.outcome}` : undefined, input.note].filter(Boolean).join('\n\n');
  return newActivity(
    {
      type: timelineTypeOf(task.type),
      subject: task.title,
      ...(body ? { body } : {}),
      payload: { taskId: task.id, ...(task.dealId ? { dealId: task.dealId } : {}), ...(input.outcome ? { outcome: input.outcome } : {}), dueAt: task.dueAt },
    },
    caller,
    task.customerId!,
    newId(),
    nowIso,
  );
}

/**
 * GET /tasks: one page of one assignee's list, one Query. `assignee` is `me` (default) or a user
 * id: yourself, a user of your team (managers), anyone (admins). `when` picks the list: `open`
 * (every open task, default), `overdue`, `today` (to the end of the day in `tz`), `upcoming`, `done`.
 */
export async function listTasks(deps: TaskDeps, caller: Caller, query: Record<string, string | undefined>) {
  const when = (query.when ?? 'open') as TaskWindow | 'open';
  if (when !== 'open' && !TASK_WINDOWS.includes(when)) {
    throw new ValidationFailed([{ path: 'query.when', message: `Expected one of open, ${TASK_WINDOWS.join(', ')}` }]);
  }
  const timeZone = parseTimeZone(query.tz);
  const limit = parseLimit(query.limit, TASK_PAGE_SIZE.default, TASK_PAGE_SIZE.max);
  const assigneeId = !query.assignee || query.assignee === 'me' ? caller.userId : query.assignee;
  if (assigneeId !== caller.userId) await checkListReader(deps, caller, assigneeId);
  const range = when === 'open' ? { status: 'open' as const, newestFirst: false } : taskWindowRange(when, clock.nowMs(), timeZone);
  return deps.tasks.list(caller.tenantId, assigneeId, range, limit, query.cursor);
}

/** Another user's list: managers read their team's, admins anyone's; others 403. An unknown user is 400. */
async function checkListReader(deps: TaskDeps, caller: Caller, assigneeId: string): Promise<void> {
  if (!overseesReps(caller)) throw new Forbidden("You may list your own tasks only (assignee=me); managers list their team's");
  const user = await deps.users.get(caller.tenantId, assigneeId);
  if (!user) throw new ValidationFailed([{ path: 'query.assignee', message: 'Not a user of this tenant (see GET /users)' }]);
  if (!isAdmin(caller) && (caller.teamId === undefined || user.teamId !== caller.teamId)) throw new Forbidden("Managers list the tasks of their own team's users");
}

/**
 * A system-opened task (lead routing's first contact, an activity's next step): the id is given
 * by the caller (the triggering event's), so a redelivered event opens it once.
 */
export async function openSystemTask(
  deps: Pick<TaskDeps, 'tasks'>,
  tenantId: string,
  spec: { id: string; title: string; type: Task['type']; dueAt: string; assigneeId: string; subject: TaskSubject; source: TaskSource; actorId: string },
  correlationId: string,
): Promise<Task> {
  const system: Caller = { userId: spec.actorId, tenantId, groups: [] };
  const task = newTask({ title: spec.title, type: spec.type, dueAt: spec.dueAt }, spec.subject, spec.assigneeId, system, spec.id, clock.nowIso(), spec.source);
  const ctx: EventContext = { tenantId, actor: { type: 'system', id: spec.actorId }, correlationId };
  return storeNewTask(deps, tenantId, task, ctx);
}
