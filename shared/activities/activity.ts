import * as z from 'zod/mini';
import type { Caller } from '../access/caller';

/** What can happen with a customer, as the timeline shows it. */
export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'visit', 'web-visit', 'product-usage', 'purchase', 'feedback'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * Entries only the system writes (a merge, a captured lead that matched the customer, an opt-out
 * through a mail's unsubscribe link, what SES reported about a mail, and the domain events the
 * timeline consumer records: a deal's life, a change of hands, an opened task; see
 * timeline-entries.ts); users cannot log them, so they stay out of the input enum. None is a
 * follow-up (FOLLOW_UP_TYPES holds user types only).
 */
export const SYSTEM_ACTIVITY_TYPES = ['merge', 'lead', 'unsubscribe', 'email-event', 'deal', 'ownership', 'task'] as const;
/** Every type an entry of the timeline can have. */
export const TIMELINE_ACTIVITY_TYPES = [...ACTIVITY_TYPES, ...SYSTEM_ACTIVITY_TYPES] as const;
export type TimelineActivityType = (typeof TIMELINE_ACTIVITY_TYPES)[number];

/** A user logging one of these is following up with the customer (resets the reclaim clock). */
export const FOLLOW_UP_TYPES: readonly ActivityType[] = ['note', 'call', 'email', 'meeting', 'visit'];

/** Payloads are small structured facts (order total, page URL...), not documents. */
const MAX_PAYLOAD_BYTES = 8 * 1024;

/** Page size of the timeline list: default and maximum `limit`. */
export const ACTIVITY_PAGE_SIZE = { default: 25, max: 100 } as const;

/** Activities may be logged after the fact, not ahead of it (a little clock skew is tolerated). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export const logActivityInput = z.strictObject({
  type: z.enum(ACTIVITY_TYPES),
  occurredAt: z.optional(z.iso.datetime()),
  subject: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  body: z.optional(z.string().check(z.maxLength(10_000))),
  payload: z.optional(
    z.record(z.string(), z.unknown()).check(
      z.refine((p) => Buffer.byteLength(JSON.stringify(p)) <= MAX_PAYLOAD_BYTES, `At most ${MAX_PAYLOAD_BYTES} bytes of JSON`),
    ),
  ),
});
export type LogActivityInput = z.output<typeof logActivityInput>;

export interface Activity {
  id: string;
  customerId: string;
  type: TimelineActivityType;
  occurredAt: string;
  subject: string | null;
  body: string | null;
  payload: Record<string, unknown> | null;
  actor: { type: 'user' | 'system'; id: string };
  loggedAt: string;
}

export function newActivity(input: LogActivityInput, caller: Caller, customerId: string, id: string, nowIso: string): Activity {
  return {
    id,
    customerId,
    type: input.type,
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : nowIso,
    subject: input.subject ?? null,
    body: input.body ?? null,
    payload: input.payload ?? null,
    actor: { type: 'user', id: caller.userId },
    loggedAt: nowIso,
  };
}

export function isFollowUp(activity: Pick<Activity, 'type' | 'actor'>): boolean {
  return activity.actor.type === 'user' && (FOLLOW_UP_TYPES as readonly string[]).includes(activity.type);
}

export function activityView(activity: Activity) {
  return {
    id: activity.id,
    type: activity.type,
    occurredAt: activity.occurredAt,
    subject: activity.subject,
    body: activity.body,
    payload: activity.payload,
    actor: activity.actor,
    loggedAt: activity.loggedAt,
  };
}
