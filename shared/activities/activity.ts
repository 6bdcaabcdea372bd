import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { ValidationFailed } from '../errors';
import { ULID_PATTERN, USER_ID_PATTERN } from '../id-formats';

/** What can happen with a customer, as the timeline shows it. */
export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'visit', 'web-visit', 'product-usage', 'purchase', 'feedback'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/**
 * Entries only the system writes (a merge, a captured lead that matched the customer, an opt-out
 * through a mail's unsubscribe link, a change in its preference centre, what SES reported about a mail, and the domain events the
 * timeline consumer records: a deal's life, a change of hands, an opened task, a service case; see
 * timeline-entries.ts); users cannot log them, so they stay out of the input enum. None is a
 * follow-up (FOLLOW_UP_TYPES holds user types only).
 */
export const SYSTEM_ACTIVITY_TYPES = ['merge', 'lead', 'unsubscribe', 'consent', 'email-event', 'deal', 'ownership', 'task', 'case', 'process'] as const;
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

/** How a call went, as reps record it. */
export const CALL_OUTCOMES = ['connected', 'left-voicemail', 'no-answer', 'busy', 'wrong-number'] as const;

const callDetails = z.strictObject({
  direction: z.enum(['inbound', 'outbound']),
  durationSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(24 * 3600))),
  outcome: z.optional(z.enum(CALL_OUTCOMES)),
});
export type CallDetails = z.output<typeof callDetails>;

const meetingDetails = z.strictObject({
  startAt: z.iso.datetime({ offset: true }),
  endAt: z.iso.datetime({ offset: true }),
  location: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  /** Who took part: contacts of the customer, users of the tenant, or anyone by name or email. */
  attendees: z.optional(
    z
      .array(
        z.strictObject({
          contactId: z.optional(z.string().check(z.regex(ULID_PATTERN, 'Expected a contact id'))),
          userId: z.optional(z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'))),
          name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
          email: z.optional(z.email().check(z.maxLength(254))),
        }),
      )
      .check(z.maxLength(100)),
  ),
});
export type MeetingDetails = z.output<typeof meetingDetails>;

/** The follow-up an activity sets: a task on the same customer, opened in the same transaction. */
const nextStep = z.strictObject({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  type: z.enum(['call', 'email', 'meeting', 'todo']),
  dueAt: z.iso.datetime({ offset: true }),
  assigneeId: z.optional(z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id'))),
  remindAt: z.optional(z.iso.datetime({ offset: true })),
});

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
  /** A call's direction, duration and outcome (type `call` only). */
  call: z.optional(callDetails),
  /** A meeting's start, end, place and attendees (type `meeting` only); `occurredAt` defaults to its start. */
  meeting: z.optional(meetingDetails),
  /** The next step: a task on this customer, opened with the activity. */
  nextStep: z.optional(nextStep),
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
  call?: CallDetails | null;
  meeting?: MeetingDetails | null;
  /** The task the activity set as its next step. */
  nextStepTaskId?: string | null;
  actor: { type: 'user' | 'system'; id: string };
  loggedAt: string;
}

export function newActivity(input: LogActivityInput, caller: Caller, customerId: string, id: string, nowIso: string): Activity {
  return {
    id,
    customerId,
    type: input.type,
    occurredAt: input.occurredAt ? new Date(input.occurredAt).toISOString() : input.meeting ? new Date(input.meeting.startAt).toISOString() : nowIso,
    subject: input.subject ?? null,
    body: input.body ?? null,
    payload: input.payload ?? null,
    call: input.call ?? null,
    meeting: input.meeting ? { ...input.meeting, startAt: new Date(input.meeting.startAt).toISOString(), endAt: new Date(input.meeting.endAt).toISOString() } : null,
    nextStepTaskId: null,
    actor: { type: 'user', id: caller.userId },
    loggedAt: nowIso,
  };
}

/** Details belong to their kind of activity, and a meeting ends after it starts: else 400 naming the field. */
export function checkActivityDetails(input: LogActivityInput): void {
  const errors: { path: string; message: string }[] = [];
  if (input.call && input.type !== 'call') errors.push({ path: 'call', message: 'Call details go with type call' });
  if (input.meeting && input.type !== 'meeting') errors.push({ path: 'meeting', message: 'Meeting details go with type meeting' });
  if (input.meeting && Date.parse(input.meeting.endAt) < Date.parse(input.meeting.startAt)) errors.push({ path: 'meeting.endAt', message: 'A meeting ends after it starts' });
  if (errors.length) throw new ValidationFailed(errors);
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
    call: activity.call ?? null,
    meeting: activity.meeting ?? null,
    nextStepTaskId: activity.nextStepTaskId ?? null,
    actor: activity.actor,
    loggedAt: activity.loggedAt,
  };
}
