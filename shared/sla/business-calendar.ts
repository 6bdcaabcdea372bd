import * as z from 'zod/mini';
import { isKnownTimeZone } from './zoned-time';

/**
 * The business hours an SLA clock counts (docs/service.md, SLA clock): weekly opening hours as
 * wall-clock times of one IANA time zone, and holidays as whole local days off. Pure: schema and
 * the lookups the clock needs.
 */

/** In the order of Date#getUTCDay, so a weekday number indexes it. */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MAX_HOLIDAYS = 1000;
const MAX_INTERVALS_PER_DAY = 8;

// `24:00` ends a day that runs to midnight; it is no start (start < end).
const WALL_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const wallTime = z.string().check(z.regex(WALL_TIME, 'Expected a time of day HH:MM (00:00 to 24:00)'));

/** `HH:MM` as minutes after midnight. */
export const minuteOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const openingInterval = z.strictObject({ start: wallTime, end: wallTime }).check(
  // zod runs this even when a time is malformed: that one has its own issue already.
  z.refine((i) => !WALL_TIME.test(i.start) || !WALL_TIME.test(i.end) || minuteOfDay(i.start) < minuteOfDay(i.end), { message: 'end must be later than start on the same day', path: ['end'] }),
);
export type OpeningInterval = z.output<typeof openingInterval>;

/** One day's opening hours: any number of intervals (a lunch break is two), none overlapping another. */
const dayHours = z.array(openingInterval).check(
  z.maxLength(MAX_INTERVALS_PER_DAY, `At most ${MAX_INTERVALS_PER_DAY} intervals a day`),
  z.superRefine((intervals, ctx) => {
    intervals.forEach((interval, index) => {
      const clash = intervals.findIndex((other, o) => o !== index && minuteOfDay(other.start) < minuteOfDay(interval.end) && minuteOfDay(interval.start) < minuteOfDay(other.end));
      // Each clash is reported once, at the later of the two intervals.
      if (clash !== -1 && clash < index) ctx.addIssue({ code: 'custom', path: [index, 'start'], input: interval.start, message: `Overlaps interval ${clash} of the same day` });
    });
  }),
);

const weeklyHours = z
  .strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, z.optional(dayHours)])) as Record<Weekday, z.ZodMiniOptional<typeof dayHours>>)
  .check(
    // A week without opening hours would never let a clock reach its target.
    z.refine((week) => WEEKDAYS.some((day) => (week[day]?.length ?? 0) > 0), 'Open at least one interval in the week'),
  );

const holiday = z.iso.date('Expected a local date YYYY-MM-DD');

export const businessCalendarSchema = z.strictObject({
  timeZone: z.string().check(z.refine(isKnownTimeZone, 'Expected an IANA time zone such as Europe/Berlin')),
  /** Days left out are closed. */
  weeklyHours,
  /** Whole local days off, in the calendar's zone. */
  holidays: z._default(z.array(holiday).check(z.maxLength(MAX_HOLIDAYS, `At most ${MAX_HOLIDAYS} holidays`)), []),
});
export type BusinessCalendar = z.output<typeof businessCalendarSchema>;

const ALL_DAY = [{ start: '00:00', end: '24:00' }];

/** Around the clock every day, no holidays: SLAs that count elapsed time. */
export const ALWAYS_OPEN_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  weeklyHours: Object.fromEntries(WEEKDAYS.map((day) => [day, ALL_DAY])) as Record<Weekday, OpeningInterval[]>,
  holidays: [],
};

/** A calendar's hours per weekday as minute ranges, sorted, and its holidays as a set. */
export interface CompiledCalendar {
  timeZone: string;
  /** Indexed by weekday (0 = Sunday): `[startMinute, endMinute]` pairs in order. */
  minutesByWeekday: [number, number][][];
  holidays: ReadonlySet<string>;
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

// The clock asks for a day's hours thousands of times in a long computation; parsing `HH:MM` once is enough.
export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  let result = compiled.get(calendar);
  if (!result) {
    result = {
      timeZone: calendar.timeZone,
      minutesByWeekday: WEEKDAYS.map((day) =>
        (calendar.weeklyHours[day] ?? []).map((i): [number, number] => [minuteOfDay(i.start), minuteOfDay(i.end)]).sort((a, b) => a[0] - b[0]),
      ),
      holidays: new Set(calendar.holidays),
    };
    compiled.set(calendar, result);
  }
  return result;
}
