import { anyEnvelopeSchema, busEventSchema } from '../../events/envelope';
import { clock } from '../clock';
import type { CustomerRepository } from '../customers/customer-repository';
import { logInfo } from '../log';
import type { Activity } from './activity';
import type { ActivityRepository, EntryWrite } from './activity-repository';
import { TIMELINE_ROWS } from './timeline-entries';

export interface TimelineEntryDeps {
  timeline: Pick<ActivityRepository, 'recordOnce'>;
  customers: Pick<CustomerRepository, 'get'>;
}

/** A merge chain longer than this is not followed (merges are rare; a cycle cannot be built, but a bound costs nothing). */
const MAX_MERGE_HOPS = 5;

export type TimelineEntryResult =
  | { written: EntryWrite; customerId: string; activityId: string }
  | { ignored: 'not-covered' | 'malformed' | 'no-customer' };

/**
 * Rule target on the CRM bus: the timeline entry of one covered domain event (timeline-entries.ts).
 * The entry's id is the event's id and its time the event's occurredAt, so a redelivered event
 * finds its entry there and writes nothing. An event about a customer merged since goes onto the
 * survivor's timeline (where the merge moved the source's entries); an erased (or unknown)
 * customer gets nothing, and the event counts as handled: retrying could never write it.
 */
export async function recordTimelineEntry(deps: TimelineEntryDeps, event: unknown): Promise<TimelineEntryResult> {
  const busEvent = busEventSchema.safeParse(event);
  const row = busEvent.success ? TIMELINE_ROWS[busEvent.data['detail-type']] : undefined;
  if (!busEvent.success || !row) return ignored('not-covered', event);
  // The outbox validated it before publishing; a detail that does not parse now is not worth retrying.
  const detail = row.contract.schema.safeParse(busEvent.data.detail);
  const envelope = anyEnvelopeSchema.safeParse(busEvent.data.detail);
  if (!detail.success || !envelope.success) return ignored('malformed', event);
  const entry = row.entry(detail.data.data);
  if (!entry) return { ignored: 'no-customer' };

  const { tenantId, id, occurredAt, actor } = envelope.data;
  let activity: Activity = {
    id,
    customerId: entry.customerId,
    type: entry.type,
    occurredAt: new Date(occurredAt).toISOString(),
    subject: entry.subject,
    body: null,
    payload: entry.payload,
    actor,
    loggedAt: clock.nowIso(),
  };
  for (let hop = 0; ; hop++) {
    const written = await deps.timeline.recordOnce(tenantId, activity);
    const customer = written === 'customer-gone' && hop < MAX_MERGE_HOPS ? await deps.customers.get(tenantId, activity.customerId) : undefined;
    if (!customer?.mergedInto) {
      logInfo('timeline entry', { detailType: busEvent.data['detail-type'], eventId: id, tenantId, customerId: activity.customerId, written });
      return { written, customerId: activity.customerId, activityId: id };
    }
    activity = { ...activity, customerId: customer.mergedInto };
  }
}

function ignored(reason: 'not-covered' | 'malformed', event: unknown): TimelineEntryResult {
  const e = (event ?? {}) as Record<string, unknown>;
  logInfo('timeline event ignored', { reason, detailType: e['detail-type'], eventId: e.id });
  return { ignored: reason };
}
