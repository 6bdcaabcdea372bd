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
import { type Activity, isFollowUp, type LogActivityInput, MAX_FUTURE_SKEW_MS, newActivity } from './activity';
import type { ActivityRepository } from './activity-repository';

interface Repositories {
  customers: CustomerRepository;
  activities: ActivityRepository;
  /** Members of a customer's pool read its timeline (logging stays with those who may read it otherwise). */
  pools?: PoolReader;
}

/** Anyone who may read the customer may log what happened with them (reps, agents, managers...). */
export async function logActivity(repos: Repositories, caller: Caller, customerId: string, input: LogActivityInput, correlationId: string): Promise<Activity> {
  await getCustomer(repos.customers, caller, customerId);
  const activity = newActivity(input, caller, customerId, newId(), clock.nowIso());
  if (Date.parse(activity.occurredAt) > clock.nowMs() + MAX_FUTURE_SKEW_MS) {
    throw new ValidationFailed([{ path: 'occurredAt', message: 'An activity cannot happen in the future' }]);
  }
  const followUp = isFollowUp(activity);
  const detail = newEvent(activityLoggedV1, { tenantId: caller.tenantId, actor: { type: 'user', id: caller.userId }, correlationId }, {
    customerId,
    activityId: activity.id,
    activityType: activity.type,
    occurredAt: activity.occurredAt,
    followUp,
  });
  await repos.activities.log(caller.tenantId, activity, followUp, { detailType: activityLoggedV1.detailType, detail });
  return activity;
}

export async function listActivities(repos: Repositories, caller: Caller, customerId: string, limit: number, cursor: string | undefined) {
  await getCustomer(repos.customers, caller, customerId, repos.pools);
  const startKey = decodeCursor(cursor, keys.customerPartition(caller.tenantId, customerId));
  const page = await repos.activities.list(caller.tenantId, customerId, limit, startKey);
  return { items: page.items, cursor: encodeCursor(page.lastEvaluatedKey) };
}
