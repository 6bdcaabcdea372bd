import { type CompiledCalendar, compileCalendar, type BusinessCalendar } from './business-calendar';
import { instantOfWallTime, isoDateOf, type LocalDay, localDayOf, steadyOffsetOf, weekdayOf } from './zoned-time';

const DAY_MS = 86_400_000;

/**
 * A calendar's opening hours as real instants, one local day at a time. The clock steps from one
 * opening to the next instead of minute by minute, so a target of a year costs a few hundred steps.
 *
 * Opening hours are wall-clock times of the calendar's zone, so on a day the clocks change an
 * interval lasts what it really lasts: one that spans a spring-forward gap is shorter by the gap
 * (a bound inside the gap falls on the instant the clocks jump); one that spans a fall-back
 * overlap is longer by it (a bound inside the overlap is its first occurrence).
 */
export type Opening = readonly [start: number, end: number];

/** The openings of one local day, in order; none on a holiday. */
export function openingsOn(calendar: CompiledCalendar, day: LocalDay): Opening[] {
  if (calendar.holidays.has(isoDateOf(day))) return [];
  const ranges = calendar.minutesByWeekday[weekdayOf(day)]!;
  if (ranges.length === 0) return [];
  const offset = steadyOffsetOf(day, calendar.timeZone);
  const instantOf = offset === null
    ? (minute: number) => instantOfWallTime(day, minute, calendar.timeZone)
    : (minute: number) => day * DAY_MS + minute * 60_000 - offset;
  return ranges.map(([start, end]): Opening => [instantOf(start), instantOf(end)]).filter(([start, end]) => end > start);
}

/** Far beyond any SLA target: a calendar that stays closed this long (holidays on every open day) is a mistake. */
const MAX_DAYS = 366 * 20;

/** Every opening that ends after `from`, clipped to start no earlier than `from`, in order, for as long as the caller reads. */
export function* openingsFrom(calendar: BusinessCalendar, from: number): Generator<Opening> {
  const compiled = compileCalendar(calendar);
  // An opening of the previous local day can reach into this one across a DST change.
  const first = localDayOf(from, compiled.timeZone) - 1;
  let lastOpen = first;
  for (let day = first; day - lastOpen <= MAX_DAYS; day++) {
    for (const [start, end] of openingsOn(compiled, day)) {
      lastOpen = day;
      if (end > from) yield [Math.max(start, from), end];
    }
  }
  throw new Error(`The calendar has no opening hours for ${MAX_DAYS} days after ${new Date(from).toISOString()}`);
}
