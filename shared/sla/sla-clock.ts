import type { BusinessCalendar } from './business-calendar';
import { openingsFrom } from './business-intervals';

/**
 * The SLA clock (docs/service.md, SLA clock): business time on a calendar, with pauses. Pure.
 * Instants are epoch milliseconds; targets and results are business minutes.
 *
 * A due time is the earliest instant at which the business time since the start reaches the
 * target: a start outside business hours counts from the next opening, a target used up exactly
 * at closing is due at closing (not at the next opening), and a target of zero is due at the start.
 */

const MINUTE_MS = 60_000;

/** A stretch during which the clock stands still (a case pending the customer); `to: null` is still going on. */
export interface Pause {
  from: number;
  to: number | null;
}

function addBusinessTime(calendar: BusinessCalendar, start: number, ms: number): number {
  if (ms <= 0) return start;
  let remaining = ms;
  for (const [open, close] of openingsFrom(calendar, start)) {
    if (close - open >= remaining) return open + remaining;
    remaining -= close - open;
  }
  throw new Error('unreachable: openingsFrom ends only by throwing');
}

function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  let total = 0;
  for (const [open, close] of openingsFrom(calendar, from)) {
    if (open >= to) break;
    total += Math.min(close, to) - open;
  }
  return total;
}

/** The instant `minutes` business minutes after `start`. */
export function addBusinessMinutes(calendar: BusinessCalendar, start: number, minutes: number): number {
  return addBusinessTime(calendar, start, minutes * MINUTE_MS);
}

/** Whole business minutes from `from` to `to` (0 when `to` is not later); a begun minute does not count. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: number, to: number): number {
  return Math.floor(businessTimeBetween(calendar, from, to) / MINUTE_MS);
}

/** Pauses in order, overlapping or touching ones merged, an open one last (nothing after it counts). */
function normalizedPauses(pauses: readonly Pause[]): Pause[] {
  const sorted = [...pauses].sort((a, b) => a.from - b.from);
  const merged: Pause[] = [];
  for (const pause of sorted) {
    const last = merged.at(-1);
    if (last && (last.to === null || pause.from <= last.to)) {
      last.to = last.to === null || pause.to === null ? null : Math.max(last.to, pause.to);
    } else {
      merged.push({ ...pause });
    }
    if (merged.at(-1)!.to === null) break;
  }
  return merged.filter((pause) => pause.to === null || pause.to > pause.from);
}

/**
 * The due instant of a target when the clock stands still during `pauses`, or null while it is
 * paused short of the target (the last pause is open). A pause that begins after the target was
 * reached changes nothing: the due time had already passed.
 */
export function dueWithPauses(calendar: BusinessCalendar, start: number, targetMinutes: number, pauses: readonly Pause[]): number | null {
  let remaining = targetMinutes * MINUTE_MS;
  let cursor = start;
  for (const pause of normalizedPauses(pauses)) {
    if (pause.to !== null && pause.to <= cursor) continue;
    if (pause.from > cursor) {
      const before = businessTimeBetween(calendar, cursor, pause.from);
      if (before >= remaining) return addBusinessTime(calendar, cursor, remaining);
      remaining -= before;
    }
    if (pause.to === null) return null;
    cursor = pause.to;
  }
  return addBusinessTime(calendar, cursor, remaining);
}

/** Business milliseconds from `start` to `at`, the paused stretches left out. */
function runningTime(calendar: BusinessCalendar, start: number, pauses: readonly Pause[], at: number): number {
  let total = 0;
  let cursor = start;
  for (const pause of normalizedPauses(pauses)) {
    if (cursor >= at) break;
    if (pause.from > cursor) total += businessTimeBetween(calendar, cursor, Math.min(pause.from, at));
    if (pause.to === null) return total;
    cursor = Math.max(cursor, pause.to);
  }
  return cursor < at ? total + businessTimeBetween(calendar, cursor, at) : total;
}

/** Whole business minutes the clock has run from `start` to `at` (pauses left out): reporting, and what a target has used. */
export function elapsedBusinessMinutes(calendar: BusinessCalendar, start: number, pauses: readonly Pause[], at: number): number {
  return Math.floor(runningTime(calendar, start, pauses, at) / MINUTE_MS);
}

/** Business minutes left of a target at `at`: 0 at the due time, negative once it is breached (by how much). */
export function remainingBusinessMinutes(calendar: BusinessCalendar, start: number, targetMinutes: number, pauses: readonly Pause[], at: number): number {
  return targetMinutes - elapsedBusinessMinutes(calendar, start, pauses, at);
}

/** When to warn of a coming breach: once a share of the target is used, or a number of business minutes before it is due. */
export type BreachWarning = { percentUsed: number } | { minutesBefore: number };

/** The business minutes after the start at which the warning is due: rounded down, so a warning is never late. */
export function warningAfterMinutes(targetMinutes: number, warning: BreachWarning): number {
  return 'percentUsed' in warning ? Math.floor((targetMinutes * warning.percentUsed) / 100) : Math.max(0, targetMinutes - warning.minutesBefore);
}

/** The instant the warning is due, or null while paused short of it. */
export function warningInstant(calendar: BusinessCalendar, start: number, targetMinutes: number, pauses: readonly Pause[], warning: BreachWarning): number | null {
  return dueWithPauses(calendar, start, warningAfterMinutes(targetMinutes, warning), pauses);
}
