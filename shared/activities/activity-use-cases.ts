import { activityLoggedV1 } from '../../events/activity-logged.v1';
import type { Caller } from '../access/caller';
import { clock } from '../clock';
import { getCustomer } from '../customers/customer-use-cases';
import type { CustomerRepository } from '../customers/customer-repository';
import { ValidationFailed } from '../errors';
import { newId } from '../ids';
import { keys } from '../keys';
import { newEvent } from '../outbox/outbox';
import { decodeCursor, encodeCursor } from '../pagination';
import type { PoolReader } from '../pools/pool-repository';
import { checkRemindAt, newTask, type Task } from '../tasks/task';
import type { TaskRepository } from '../tasks/task-repository';
import { checkAssignee, type TaskDeps, taskCreatedEvent } from '../tasks/task-use-cases';
import { type Activity, checkActivityDetails, isFollowUp, type LogActivityInput, MAX_FUTURE_SKEW_MS, newActivity } from './activity';
import type { ActivityRepository } from './activity-repository';

interface Repositories {
  customers: CustomerRepository;
  activities: ActivityRepository;
  /** Where a next step goes (a task on the customer), and who it may be given to. */
  tasks: Pick<TaskRepository, 'createItem' | 'eventItem'>;
  users: TaskDeps['users'];
  /** Members of a customer's pool read its timeline (logging stays with those who may read it otherwise). */
  pools?: PoolReader;
}

/** Anyone who may read the customer may log what happened with them (reps, agents, managers...). */
export async function logActivity(repos: Repositories, caller: Caller, customerId: string, input: LogActivityInput, correlationId: string): Promise<Activity> {
  checkActivityDetails(input);
  await getCustomer(repos.customers, caller, customerId);
  const nowIso = clock.nowIso();
  const ctx = { tenantId: caller.tenantId, actor: { type: 'user' as const, id: caller.userId }, correlationId };
  const next = input.nextStep ? await nextStepTask(repos, caller, customerId, input.nextStep, nowIso) : undefined;
  const activity = { ...newActivity(input, caller, customerId, newId(), nowIso), nextStepTaskId: next?.id ?? null };
  if (Date.parse(activity.occurredAt) > clock.nowMs() + MAX_FUTURE_SKEW_MS) {
    throw new ValidationFailed([{ path: input.meeting && !input.occurredAt ? 'meeting.startAt' : 'occurredAt', message: 'An activity cannot happen in the future' }]);
  }
  const followUp = isFollowUp(activity);
  const detail = newEvent(activityLoggedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
    customerId,
    activityId: activity.id,
    activityType: activity.type,
    occurredAt: activity.occurredAt,
    followUp,
  });
  const partition = keys.customerPartition(caller.tenantId, customerId);
  const alongside = next ? [repos.tasks.createItem(caller.tenantId, partition, next), repos.tasks.eventItem(partition, taskCreatedEvent(ctx, next))] : [];
  await repos.activities.log(caller.tenantId, activity, followUp, { detailType: activityLoggedV1.detailType, detail }, alongside);
  return activity;
}

/** The next step an activity sets: a task on the same customer, under the rules of POST /tasks (400s at `nextStep.<field>`). */
async function nextStepTask(repos: Repositories, caller: Caller, customerId: string, step: NonNullable<LogActivityInput['nextStep']>, nowIso: string): Promise<Task> {
  try {
    checkRemindAt(step.remindAt, clock.nowMs());
    const assigneeId = step.assigneeId ?? caller.userId;
    await checkAssignee(repos, caller, assigneeId);
    return newTask({ ...step }, { customerId, dealId: null, leadId: null }, assigneeId, caller, newId(), nowIso, 'next-step');
  } catch (error) {
    if (error instanceof ValidationFailed) throw new ValidationFailed(error.errors.map((e) => ({ ...e, path: `nextStep.${e.path}` })));
    throw error;
  }
}

export async function listActivities(repos: Repositories, caller: Caller, customerId: string, limit: number, cursor: string | undefined) {
  await getCustomer(repos.customers, caller, customerId, repos.pools);
  const startKey = decodeCursor(cursor, keys.customerPartition(caller.tenantId, customerId));
  const page = await repos.activities.list(caller.tenantId, customerId, limit, startKey);
  return { items: page.items, cursor: encodeCursor(page.lastEvaluatedKey) };
}
