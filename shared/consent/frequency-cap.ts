/**
 * The frequency cap (docs/marketing.md, "Frequency cap and offer lock"): at most `maxEmails`
 * marketing emails per customer in any rolling `windowDays`, across campaigns and automations.
 * Pure rules; the repository (frequency-cap-repository.ts) applies them to one item per customer.
 */

export interface FrequencyCap {
  maxEmails: number;
  windowDays: number;
}

/** One reserved send: the caller's id for it (idempotency) and when it was reserved. */
export interface SendRecord {
  sendId: string;
  at: string;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * What the item keeps: the newest sends of the longest window a tenant may set, at most as many
 * as the highest cap. Any legal cap (K <= 100, window <= 90 days) needs only its newest K sends in
 * its window, so a tenant that raises K or lengthens the window still gets an exact answer, and
 * the item stays small (100 records) however many mails a tenant sends.
 */
export const KEPT_SENDS = { maxCount: 100, maxWindowDays: 90 } as const;

export type FrequencyDecision = { allowed: true } | { allowed: false; nextAllowedAt: string };

/**
 * Whether one more email may go at `now`. A send at `t` counts while `now - window < t`, so it
 * stops counting at exactly `t + window`; sends stamped after `now` (another writer's clock ahead)
 * count too. When capped, `nextAllowedAt` is when the K-th newest counted send leaves the window.
 */
export function frequencyDecision(sentAts: readonly string[], now: string, cap: FrequencyCap): FrequencyDecision {
  const windowStart = Date.parse(now) - cap.windowDays * DAY_MS;
  const counted = sentAts.map((at) => Date.parse(at)).filter((t) => t > windowStart).sort((a, b) => b - a);
  if (counted.length < cap.maxEmails) return { allowed: true };
  return { allowed: false, nextAllowedAt: new Date(counted[cap.maxEmails - 1]! + cap.windowDays * DAY_MS).toISOString() };
}

/** The records worth keeping at `now` (see KEPT_SENDS), newest first. */
export function pruneSends(sends: readonly SendRecord[], now: string): SendRecord[] {
  const oldest = Date.parse(now) - KEPT_SENDS.maxWindowDays * DAY_MS;
  return sends
    .filter((s) => Date.parse(s.at) > oldest)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, KEPT_SENDS.maxCount);
}

export type ReservationPlan =
  /** This send id is already recorded (a retried batch): reserved, nothing to write. */
  | { kind: 'already-reserved' }
  | { kind: 'capped'; nextAllowedAt: string }
  /** Write these records (pruned, the new one included). */
  | { kind: 'record'; sends: SendRecord[] };

/** What reserving `sendId` at `now` does to the recorded sends. */
export function planReservation(sends: readonly SendRecord[], sendId: string, now: string, cap: FrequencyCap): ReservationPlan {
  if (sends.some((s) => s.sendId === sendId)) return { kind: 'already-reserved' };
  const decision = frequencyDecision(sends.map((s) => s.at), now, cap);
  if (!decision.allowed) return { kind: 'capped', nextAllowedAt: decision.nextAllowedAt };
  return { kind: 'record', sends: pruneSends([...sends, { sendId, at: now }], now) };
}

/** The records without `sendId` (a send that finally failed gives its slot back), or undefined if it holds none. */
export function planRelease(sends: readonly SendRecord[], sendId: string): SendRecord[] | undefined {
  return sends.some((s) => s.sendId === sendId) ? sends.filter((s) => s.sendId !== sendId) : undefined;
}

/** Epoch seconds after which nothing in the item can count for any cap: DynamoDB's TTL may delete it. */
export function frequencyExpiresAt(sends: readonly SendRecord[]): number {
  const newest = Math.max(0, ...sends.map((s) => Date.parse(s.at)));
  return Math.ceil((newest + KEPT_SENDS.maxWindowDays * DAY_MS) / 1000);
}
