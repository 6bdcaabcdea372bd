/**
 * Wall-clock times in an IANA time zone and the instants they name, with Node's own tz data
 * (Intl.DateTimeFormat): no date library in the Lambda bundles. Instants are epoch milliseconds.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A day of the calendar in the zone, counted from 1970-01-01 (so days are plain integers to step by). */
export type LocalDay = number;

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a DateTimeFormat costs far more than using one; a zone's is built once per process.
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone (IANA names and their aliases). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of the zone at an instant, read as if it were UTC (whole seconds). */
function wallClockAt(instant: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  // Date.UTC maps years 0-99 to 1900-1999.
  return year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall;
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
export function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockAt(whole, timeZone) - whole;
}

/** The local day an instant falls on in the zone. */
export function localDayOf(instant: number, timeZone: string): LocalDay {
  return Math.floor((instant + offsetAt(instant, timeZone)) / DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday, as Date#getUTCDay (1970-01-01 was a Thursday). */
export const weekdayOf = (day: LocalDay): number => (((day + 4) % 7) + 7) % 7;

/** `YYYY-MM-DD` of a local day, the form holidays are written in. */
export const isoDateOf = (day: LocalDay): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * The instant a wall-clock time of the zone names: minutes after the local midnight of `day`
 * (1440 is the next midnight). A wall time that is shown twice (a fall-back overlap) names its
 * first occurrence; one that is never shown (a spring-forward gap) names the instant the clocks
 * jump past it. Both keep the mapping monotonic, so the intervals of a day never invert or
 * overlap one another.
 */
export function instantOfWallTime(day: LocalDay, minuteOfDay: number, timeZone: string): number {
  const wall = day * DAY_MS + minuteOfDay * MINUTE_MS;
  // The instant lies within 14 hours of `wall` (the widest offsets); the offsets a day either side
  // bracket every transition it could be near (no zone changes twice within two days).
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const fits = (offset: number) => offsetAt(wall - offset, timeZone) === offset;
  const candidates = [...new Set([before, after])].filter(fits).map((offset) => wall - offset);
  if (candidates.length) return Math.min(...candidates);
  return transitionBetween(wall - Math.max(before, after), wall - Math.min(before, after), timeZone);
}

/**
 * The first instant of the later offset, between an instant still on the earlier one (`low`) and
 * one already on the later one (`high`): bisection to the second, the resolution of tz data.
 */
function transitionBetween(low: number, high: number, timeZone: string): number {
  const early = offsetAt(low, timeZone);
  let lo = Math.floor(low / 1000);
  let hi = Math.ceil(high / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * 1000, timeZone) === early) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** Far more days than any computation visits; the cache starts over beyond it instead of growing without end. */
const MAX_CACHED_DAYS = 20_000;
const steadyOffsets = new Map<string, Map<LocalDay, number | null>>();

/**
 * The offset that holds all day on `day`, or null when it may change that day. Most days have one:
 * then every wall time of the day maps with one subtraction. Cached per zone and day (tz data
 * does not change while a process runs), so due times on the same days cost no Intl calls again.
 */
export function steadyOffsetOf(day: LocalDay, timeZone: string): number | null {
  let days = steadyOffsets.get(timeZone);
  if (!days) steadyOffsets.set(timeZone, (days = new Map()));
  const cached = days.get(day);
  if (cached !== undefined) return cached;
  // Offsets run from -12 to +14 hours: 15 hours before the day's wall-clock start is before the
  // day begins in any zone, 13 hours after its end is after it ends.
  const offset = offsetAt(day * DAY_MS - 15 * 3_600_000, timeZone);
  const steady = offsetAt((day + 1) * DAY_MS + 13 * 3_600_000, timeZone) === offset ? offset : null;
  if (days.size >= MAX_CACHED_DAYS) days.clear();
  days.set(day, steady);
  return steady;
}
