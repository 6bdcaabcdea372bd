import { ALWAYS_OPEN_CALENDAR, type BusinessCalendar } from '../../../shared/sla/business-calendar';
import { dueWithPauses } from '../../../shared/sla/sla-clock';

/**
 * The SLA due-time table (issue 17, figure "matched to the minute"): one table for the unit test
 * and for `npm run bench -- sla`. Every expected due time was worked out by hand from the
 * calendar, the zone's offsets and its DST rules (the reasoning is in the case name or a comment),
 * never copied from the clock's output. Instants are written with the zone's offset at that
 * moment, so a wrong offset shows.
 *
 * 2027 DST changes used below:
 * - Europe/Berlin: Sun 28 March 02:00 CET -> 03:00 CEST (01:00Z); Sun 31 October 03:00 CEST -> 02:00 CET (01:00Z).
 * - America/New_York: Sun 14 March 02:00 EST -> 03:00 EDT (07:00Z); Sun 7 November 02:00 EDT -> 01:00 EST (06:00Z).
 * - Australia/Lord_Howe (half-hour DST): Sun 4 April 02:00 +11:00 -> 01:30 +10:30 (15:00Z on the 3rd);
 *   Sun 3 October 02:00 +10:30 -> 02:30 +11:00 (15:30Z on the 2nd).
 * - Asia/Kolkata: +05:30 all year.
 */

const weekdays = (intervals: { start: string; end: string }[]) => ({ monday: intervals, tuesday: intervals, wednesday: intervals, thursday: intervals, friday: intervals });
const everyDay = (intervals: { start: string; end: string }[]) => ({ ...weekdays(intervals), saturday: intervals, sunday: intervals });

export const CALENDARS = {
  /** Mon-Fri 09:00-17:00; New Year's Day, Good Friday, Easter Monday and a Christmas closure off. */
  berlinOffice: {
    timeZone: 'Europe/Berlin',
    weeklyHours: weekdays([{ start: '09:00', end: '17:00' }]),
    holidays: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-12-24', '2027-12-27', '2027-12-28', '2027-12-29', '2027-12-30', '2027-12-31'],
  },
  /** Mon-Fri 08:00-12:00 and 13:00-17:00 (lunch break), Saturday 09:00-13:00. */
  berlinSplit: {
    timeZone: 'Europe/Berlin',
    weeklyHours: { ...weekdays([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }]), saturday: [{ start: '09:00', end: '13:00' }] },
    holidays: [],
  },
  /** A night desk every day, 22:00-24:00 and 00:00-06:00: its hours span midnight and both DST changes. */
  berlinNight: {
    timeZone: 'Europe/Berlin',
    weeklyHours: everyDay([{ start: '00:00', end: '06:00' }, { start: '22:00', end: '24:00' }]),
    holidays: [],
  },
  /** 02:30-05:00 every day: on both DST Sundays it opens at a wall time that is skipped or shown twice. */
  berlinEarly: {
    timeZone: 'Europe/Berlin',
    weeklyHours: everyDay([{ start: '02:30', end: '05:00' }]),
    holidays: [],
  },
  /** Around the clock on Berlin wall time: business time is real elapsed time, DST or not. */
  berlinAlways: {
    timeZone: 'Europe/Berlin',
    weeklyHours: everyDay([{ start: '00:00', end: '24:00' }]),
    holidays: [],
  },
  alwaysOpen: ALWAYS_OPEN_CALENDAR,
  /** Mon-Fri 08:00-18:00 and a Sunday desk 00:00-04:00, across which New York changes its clocks. */
  newYork: {
    timeZone: 'America/New_York',
    weeklyHours: { ...weekdays([{ start: '08:00', end: '18:00' }]), sunday: [{ start: '00:00', end: '04:00' }] },
    holidays: [],
  },
  /** Mon-Sat 09:30-18:00 (510 minutes a day), +05:30 without DST. */
  kolkata: {
    timeZone: 'Asia/Kolkata',
    weeklyHours: { ...weekdays([{ start: '09:30', end: '18:00' }]), saturday: [{ start: '09:30', end: '18:00' }] },
    holidays: [],
  },
  /** 01:00-03:00 every day: Lord Howe's half-hour DST changes fall inside it. */
  lordHowe: {
    timeZone: 'Australia/Lord_Howe',
    weeklyHours: everyDay([{ start: '01:00', end: '03:00' }]),
    holidays: [],
  },
} satisfies Record<string, BusinessCalendar>;
export type CalendarName = keyof typeof CALENDARS;

export interface DueCase {
  name: string;
  calendar: CalendarName;
  start: string;
  minutes: number;
  pauses?: { from: string; to: string | null }[];
  /** null: still paused short of the target. */
  due: string | null;
}

export const DUE_CASES: DueCase[] = [
  // Berlin office, Mon-Fri 09:00-17:00 (+01:00 in winter, +02:00 in summer)
  { name: 'inside hours', calendar: 'berlinOffice', start: '2027-01-12T10:00+01:00', minutes: 60, due: '2027-01-12T11:00+01:00' },
  { name: 'a whole day is due at closing, not at the next opening', calendar: 'berlinOffice', start: '2027-01-12T09:00+01:00', minutes: 480, due: '2027-01-12T17:00+01:00' },
  { name: 'one minute more than a day', calendar: 'berlinOffice', start: '2027-01-12T09:00+01:00', minutes: 481, due: '2027-01-13T09:01+01:00' },
  { name: 'before opening counts from 09:00', calendar: 'berlinOffice', start: '2027-01-13T07:15+01:00', minutes: 30, due: '2027-01-13T09:30+01:00' },
  { name: 'after closing counts from the next morning', calendar: 'berlinOffice', start: '2027-01-13T17:45+01:00', minutes: 30, due: '2027-01-14T09:30+01:00' },
  { name: 'Friday late to Monday (30 + 30)', calendar: 'berlinOffice', start: '2027-01-15T16:30+01:00', minutes: 60, due: '2027-01-18T09:30+01:00' },
  { name: 'Saturday counts from Monday 09:00', calendar: 'berlinOffice', start: '2027-01-16T12:00+01:00', minutes: 120, due: '2027-01-18T11:00+01:00' },
  { name: 'Sunday 23:59, one minute', calendar: 'berlinOffice', start: '2027-01-17T23:59+01:00', minutes: 1, due: '2027-01-18T09:01+01:00' },
  { name: 'zero minutes inside hours: due at once', calendar: 'berlinOffice', start: '2027-01-12T10:00+01:00', minutes: 0, due: '2027-01-12T10:00+01:00' },
  { name: 'zero minutes on a Saturday: due at once', calendar: 'berlinOffice', start: '2027-01-16T12:00+01:00', minutes: 0, due: '2027-01-16T12:00+01:00' },
  { name: "New Year's Day, then the weekend (60 + 60)", calendar: 'berlinOffice', start: '2026-12-31T16:00+01:00', minutes: 120, due: '2027-01-04T10:00+01:00' },
  { name: 'Christmas closure 24-31 Dec (120 + 60)', calendar: 'berlinOffice', start: '2027-12-23T15:00+01:00', minutes: 180, due: '2028-01-03T10:00+01:00' },
  { name: 'start on a holiday', calendar: 'berlinOffice', start: '2027-12-29T10:00+01:00', minutes: 30, due: '2028-01-03T09:30+01:00' },
  { name: 'Easter holidays around spring-forward: Thursday to Tuesday in summer time', calendar: 'berlinOffice', start: '2027-03-25T16:00+01:00', minutes: 120, due: '2027-03-30T10:00+02:00' },
  { name: 'Friday to Monday across fall-back: office hours stay 09:00-17:00', calendar: 'berlinOffice', start: '2027-10-29T16:00+02:00', minutes: 120, due: '2027-11-01T10:00+01:00' },
  { name: 'two weeks (10 x 480)', calendar: 'berlinOffice', start: '2027-01-04T09:00+01:00', minutes: 4800, due: '2027-01-15T17:00+01:00' },
  // 19 days in March to the 25th, Easter Monday off, 30-31 Mar, 1-2 Apr, 5-9 Apr, 12-13 Apr: 30 days.
  { name: 'six weeks (30 x 480) across DST and Easter', calendar: 'berlinOffice', start: '2027-03-01T09:00+01:00', minutes: 14400, due: '2027-04-13T17:00+02:00' },
  // 2027 has 261 weekdays; from 4 January 260, less 8 weekday holidays: 252, the last on Thursday 23 December.
  { name: 'a year (252 x 480)', calendar: 'berlinOffice', start: '2027-01-04T09:00+01:00', minutes: 120960, due: '2027-12-23T17:00+01:00' },
  { name: 'a year and one minute', calendar: 'berlinOffice', start: '2027-01-04T09:00+01:00', minutes: 120961, due: '2028-01-03T09:01+01:00' },

  // Berlin split days: 08:00-12:00, 13:00-17:00, Saturday 09:00-13:00
  { name: 'across the lunch break (30 + 30)', calendar: 'berlinSplit', start: '2027-01-12T11:30+01:00', minutes: 60, due: '2027-01-12T13:30+01:00' },
  { name: 'start in the lunch break', calendar: 'berlinSplit', start: '2027-01-12T12:20+01:00', minutes: 10, due: '2027-01-12T13:10+01:00' },
  { name: 'Friday to Saturday morning (60 + 60)', calendar: 'berlinSplit', start: '2027-01-15T16:00+01:00', minutes: 120, due: '2027-01-16T10:00+01:00' },
  { name: 'Saturday to Monday (30 + 60)', calendar: 'berlinSplit', start: '2027-01-16T12:30+01:00', minutes: 90, due: '2027-01-18T09:00+01:00' },
  { name: 'a day and a morning is due at noon, not at 13:00', calendar: 'berlinSplit', start: '2027-01-18T08:00+01:00', minutes: 720, due: '2027-01-19T12:00+01:00' },

  // Berlin night desk, 22:00-24:00 and 00:00-06:00 every day
  { name: 'across midnight', calendar: 'berlinNight', start: '2027-01-11T23:00+01:00', minutes: 120, due: '2027-01-12T01:00+01:00' },
  // 22:00Z + 4 h of continuous desk time = 02:00Z, which is 04:00 CEST.
  { name: 'spring-forward inside the night (4 real hours)', calendar: 'berlinNight', start: '2027-03-27T23:00+01:00', minutes: 240, due: '2027-03-28T04:00+02:00' },
  // 00:00 CET to 06:00 CEST is 5 real hours (the gap is 02:00-03:00): 300 that night, 60 from 22:00.
  { name: 'spring-forward gap shortens the night to 300 minutes', calendar: 'berlinNight', start: '2027-03-28T00:00+01:00', minutes: 360, due: '2027-03-28T23:00+02:00' },
  // 00:00 CEST (22:00Z) to 06:00 CET (05:00Z) is 7 real hours; 6 hours in is 04:00Z.
  { name: 'fall-back overlap lengthens the night', calendar: 'berlinNight', start: '2027-10-31T00:00+02:00', minutes: 360, due: '2027-10-31T05:00+01:00' },
  { name: 'fall-back night: all 420 minutes end at 06:00', calendar: 'berlinNight', start: '2027-10-31T00:00+02:00', minutes: 420, due: '2027-10-31T06:00+01:00' },
  { name: 'fall-back night: 421 minutes reach 22:01', calendar: 'berlinNight', start: '2027-10-31T00:00+02:00', minutes: 421, due: '2027-10-31T22:01+01:00' },
  { name: 'from the first 02:30 to the second 02:30', calendar: 'berlinNight', start: '2027-10-31T02:30+02:00', minutes: 60, due: '2027-10-31T02:30+01:00' },

  // Berlin early desk, 02:30-05:00 every day
  // 02:30 never shows on 28 March: the desk opens when the clocks jump to 03:00 CEST (01:00Z).
  { name: 'opening inside the spring-forward gap opens at the jump', calendar: 'berlinEarly', start: '2027-03-27T23:00+01:00', minutes: 60, due: '2027-03-28T04:00+02:00' },
  { name: 'the spring-forward desk lasts 120 minutes (03:00-05:00 CEST)', calendar: 'berlinEarly', start: '2027-03-27T23:00+01:00', minutes: 121, due: '2027-03-29T02:31+02:00' },
  // 02:30 shows twice on 31 October: the desk opens at the first (00:30Z); 60 minutes on is the second.
  { name: 'opening inside the fall-back overlap opens at its first occurrence', calendar: 'berlinEarly', start: '2027-10-30T23:00+02:00', minutes: 60, due: '2027-10-31T02:30+01:00' },
  { name: 'the fall-back desk lasts 210 minutes (00:30Z-04:00Z)', calendar: 'berlinEarly', start: '2027-10-30T23:00+02:00', minutes: 210, due: '2027-10-31T05:00+01:00' },

  // Around the clock
  { name: '24 hours across spring-forward are 24 real hours', calendar: 'berlinAlways', start: '2027-03-27T12:00+01:00', minutes: 1440, due: '2027-03-28T13:00+02:00' },
  { name: '24 hours across fall-back are 24 real hours', calendar: 'berlinAlways', start: '2027-10-30T12:00+02:00', minutes: 1440, due: '2027-10-31T11:00+01:00' },
  { name: '24x7: a week', calendar: 'alwaysOpen', start: '2027-06-01T10:15Z', minutes: 10080, due: '2027-06-08T10:15Z' },
  { name: '24x7: seconds are kept', calendar: 'alwaysOpen', start: '2027-06-01T10:15:30Z', minutes: 45, due: '2027-06-01T11:00:30Z' },

  // New York: Mon-Fri 08:00-18:00, Sunday desk 00:00-04:00 (EST -05:00, EDT -04:00)
  // Friday 60; Sunday 14 March 00:00 EST to 04:00 EDT is 3 real hours: 180; Monday 120.
  { name: 'Friday to Monday across spring-forward (60 + 180 + 120)', calendar: 'newYork', start: '2027-03-12T17:00-05:00', minutes: 360, due: '2027-03-15T10:00-04:00' },
  { name: 'spring-forward on the Sunday desk: 01:30 EST + 60 = 03:30 EDT', calendar: 'newYork', start: '2027-03-14T01:30-05:00', minutes: 60, due: '2027-03-14T03:30-04:00' },
  // 00:00 EDT (04:00Z) to 04:00 EST (09:00Z): 5 real hours; 4 hours in is 08:00Z.
  { name: 'fall-back on the Sunday desk: 240 minutes end at 03:00 EST', calendar: 'newYork', start: '2027-11-07T00:00-04:00', minutes: 240, due: '2027-11-07T03:00-05:00' },
  { name: 'fall-back: rest of the Sunday desk, then Monday (30 + 30)', calendar: 'newYork', start: '2027-11-07T03:30-05:00', minutes: 60, due: '2027-11-08T08:30-05:00' },
  { name: 'summer evening to next morning (30 + 15)', calendar: 'newYork', start: '2027-07-14T17:30-04:00', minutes: 45, due: '2027-07-15T08:15-04:00' },

  // Kolkata: Mon-Sat 09:30-18:00, +05:30
  { name: 'Saturday to Monday (60 + 60)', calendar: 'kolkata', start: '2027-01-16T17:00+05:30', minutes: 120, due: '2027-01-18T10:30+05:30' },
  { name: 'start given in UTC (03:00Z is 08:30 IST)', calendar: 'kolkata', start: '2027-01-12T03:00Z', minutes: 30, due: '2027-01-12T04:30Z' },
  { name: 'a six-day week (6 x 510)', calendar: 'kolkata', start: '2027-01-11T09:30+05:30', minutes: 3060, due: '2027-01-16T18:00+05:30' },

  // Lord Howe: 01:00-03:00 every day
  // 01:00 +11:00 (14:00Z on the 3rd) to 03:00 +10:30 (16:30Z): 150 minutes; 120 in is 16:00Z.
  { name: 'half-hour fall-back: 120 minutes reach 02:30 +10:30', calendar: 'lordHowe', start: '2027-04-04T01:00+11:00', minutes: 120, due: '2027-04-04T02:30+10:30' },
  { name: 'half-hour fall-back: the desk lasts 150 minutes', calendar: 'lordHowe', start: '2027-04-04T01:00+11:00', minutes: 150, due: '2027-04-04T03:00+10:30' },
  // 01:00 +10:30 (14:30Z on the 2nd) to 03:00 +11:00 (16:00Z): 90 minutes; 30 more on Monday.
  { name: 'half-hour spring-forward: 90 minutes, then the next night', calendar: 'lordHowe', start: '2027-10-03T01:00+10:30', minutes: 120, due: '2027-10-04T01:30+11:00' },
  { name: 'Saturday 02:30 to the shortened Sunday (30 + 30)', calendar: 'lordHowe', start: '2027-10-02T02:30+10:30', minutes: 60, due: '2027-10-03T01:30+10:30' },

  // Pauses (pending the customer) on the Berlin office
  { name: 'pause inside hours (60, paused 10-11, 180)', calendar: 'berlinOffice', start: '2027-01-12T09:00+01:00', minutes: 240, pauses: [{ from: '2027-01-12T10:00+01:00', to: '2027-01-12T11:00+01:00' }], due: '2027-01-12T14:00+01:00' },
  { name: 'pause overnight into the next morning (30 + 90)', calendar: 'berlinOffice', start: '2027-01-12T16:00+01:00', minutes: 120, pauses: [{ from: '2027-01-12T16:30+01:00', to: '2027-01-13T10:00+01:00' }], due: '2027-01-13T11:30+01:00' },
  { name: 'pause outside hours changes nothing', calendar: 'berlinOffice', start: '2027-01-12T16:00+01:00', minutes: 120, pauses: [{ from: '2027-01-12T18:00+01:00', to: '2027-01-13T08:00+01:00' }], due: '2027-01-13T10:00+01:00' },
  { name: 'open pause short of the target: no due time', calendar: 'berlinOffice', start: '2027-01-12T09:00+01:00', minutes: 240, pauses: [{ from: '2027-01-12T10:00+01:00', to: null }], due: null },
  { name: 'open pause after the due time: due time stands', calendar: 'berlinOffice', start: '2027-01-12T09:00+01:00', minutes: 60, pauses: [{ from: '2027-01-12T11:00+01:00', to: null }], due: '2027-01-12T10:00+01:00' },
  {
    name: 'two pauses (30 + 120 + 150)',
    calendar: 'berlinOffice',
    start: '2027-01-18T09:00+01:00',
    minutes: 300,
    pauses: [{ from: '2027-01-18T09:30+01:00', to: '2027-01-18T10:00+01:00' }, { from: '2027-01-18T12:00+01:00', to: '2027-01-18T13:30+01:00' }],
    due: '2027-01-18T16:00+01:00',
  },
  { name: 'pause begun before the start', calendar: 'berlinOffice', start: '2027-01-18T10:00+01:00', minutes: 60, pauses: [{ from: '2027-01-18T09:00+01:00', to: '2027-01-18T11:00+01:00' }], due: '2027-01-18T12:00+01:00' },
  {
    name: 'overlapping pauses count once (60, paused 10-12, 60)',
    calendar: 'berlinOffice',
    start: '2027-01-18T09:00+01:00',
    minutes: 120,
    pauses: [{ from: '2027-01-18T10:30+01:00', to: '2027-01-18T12:00+01:00' }, { from: '2027-01-18T10:00+01:00', to: '2027-01-18T11:00+01:00' }],
    due: '2027-01-18T13:00+01:00',
  },
  { name: 'pause over a weekend into Monday (60 + 120)', calendar: 'berlinOffice', start: '2027-01-15T15:00+01:00', minutes: 180, pauses: [{ from: '2027-01-15T16:00+01:00', to: '2027-01-18T10:00+01:00' }], due: '2027-01-18T12:00+01:00' },
  { name: 'pause across spring-forward (Night desk: 60, paused to 03:30 CEST, 60)', calendar: 'berlinNight', start: '2027-03-28T00:00+01:00', minutes: 120, pauses: [{ from: '2027-03-28T01:00+01:00', to: '2027-03-28T03:30+02:00' }], due: '2027-03-28T04:30+02:00' },
];

/** A case's due instant as the clock computes it (epoch ms), or null. */
export function computeDue(c: DueCase): number | null {
  const pauses = (c.pauses ?? []).map((p) => ({ from: Date.parse(p.from), to: p.to === null ? null : Date.parse(p.to) }));
  return dueWithPauses(CALENDARS[c.calendar], Date.parse(c.start), c.minutes, pauses);
}

export const expectedDue = (c: DueCase): number | null => (c.due === null ? null : Date.parse(c.due));
