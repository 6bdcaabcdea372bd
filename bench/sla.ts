import { addBusinessMinutes } from '../shared/sla/sla-clock';
import { offsetAt } from '../shared/sla/zoned-time';
import { CALENDARS, type CalendarName, computeDue, DUE_CASES, expectedDue } from '../test/unit/sla/sla-cases';
import { type Benchmark, type BenchContext, type BenchmarkOutcome, fmt, round } from './benchmark';

export const slaBenchmark: Benchmark = {
  name: 'sla',
  title: 'SLA clock: due times on business-hours calendars',
  run: runSla,
};

/** An instant as the calendar's zone shows it, `2027-03-30T10:00+02:00`, so expected and computed read alike. */
function inZone(instant: number | null, calendar: CalendarName): string {
  if (instant === null) return 'paused (none)';
  const offset = offsetAt(instant, CALENDARS[calendar].timeZone);
  const wall = new Date(instant + offset).toISOString();
  const seconds = wall.slice(17, 19) === '00' ? '' : wall.slice(16, 19);
  const minutes = Math.abs(offset) / 60_000;
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${wall.slice(0, 16)}${seconds}${zone}`;
}

/** Due times computed per second for one target, after a warm-up, over about `budgetMs`. */
function throughput(calendar: CalendarName, minutes: number, budgetMs: number): number {
  const start = Date.parse('2027-01-04T09:00+01:00');
  for (let i = 0; i < 20; i++) addBusinessMinutes(CALENDARS[calendar], start + i * 3_600_000, minutes);
  let runs = 0;
  const began = performance.now();
  // Starts move by an hour a run, so no two computations walk the same days from the same point.
  while (performance.now() - began < budgetMs) addBusinessMinutes(CALENDARS[calendar], start + (runs++ % 2000) * 3_600_000, minutes);
  return runs / ((performance.now() - began) / 1000);
}

/**
 * The hand-worked table of test/unit/sla/sla-cases.ts (the unit suite checks the same table):
 * each case's due time as computed against the one written down, to the minute, and how many
 * long computations a second one core does.
 */
export async function runSla(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const rows = DUE_CASES.map((c) => {
    const computed = computeDue(c);
    const expected = expectedDue(c);
    return { case: c, computed, expected, match: computed === expected };
  });
  const matched = rows.filter((r) => r.match).length;
  ctx.log(`${matched}/${rows.length} due times matched`);

  const budgetMs = ctx.quick ? 200 : 2000;
  const loads = [
    { label: '30 days around the clock (43,200 minutes, Europe/Berlin 24x7)', calendar: 'berlinAlways' as const, minutes: 43_200 },
    { label: '30 business days (14,400 minutes, Berlin office Mon-Fri 09-17)', calendar: 'berlinOffice' as const, minutes: 14_400 },
    { label: 'a year of business days (120,960 minutes, Berlin office)', calendar: 'berlinOffice' as const, minutes: 120_960 },
  ];
  const rates = loads.map((load) => ({ ...load, perSecond: throughput(load.calendar, load.minutes, budgetMs) }));
  for (const rate of rates) ctx.log(`${rate.label}: ${fmt(rate.perSecond, 0)}/s`);

  return {
    figures: {
      cases: rows.length,
      matched,
      mismatches: rows.filter((r) => !r.match).map((r) => ({ name: r.case.name, expected: r.case.due, computed: r.computed === null ? null : new Date(r.computed).toISOString() })),
      dueTimesPerSecond: Object.fromEntries(rates.map((r) => [r.label, round(r.perSecond, 0)])),
    },
    tables: [
      {
        title: `Due times (${rows.length} cases written out by hand, shown in each calendar's zone)`,
        columns: ['case', 'calendar', 'start', 'target (min)', 'pauses', 'expected', 'computed', 'match'],
        rows: rows.map((r) => [
          r.case.name,
          r.case.calendar,
          r.case.start,
          String(r.case.minutes),
          String(r.case.pauses?.length ?? 0),
          inZone(r.expected, r.case.calendar),
          inZone(r.computed, r.case.calendar),
          r.match ? 'yes' : 'NO',
        ]),
      },
      {
        title: 'Throughput (one core, addBusinessMinutes from a different start each run)',
        columns: ['target', 'due times per second'],
        rows: rates.map((r) => [r.label, fmt(r.perSecond, 0)]),
      },
    ],
    reach: [{ subject: 'due times matched to the minute', target: `${rows.length}/${rows.length}`, actual: `${matched}/${rows.length}`, met: matched === rows.length }],
    notes: [
      'The clock steps from one opening to the next (one day at a time), not minute by minute. A day without a DST change costs two offset look-ups (Intl) the first time and none after: the steady offset of each zone and day is cached for the process (bounded).',
      'Throughput is information, not a target: a case computes a handful of due times when it changes. Runs start an hour apart over 2,000 hours, so after the first pass the day cache is warm, as in a warm Lambda; the machine was shared (see the load average).',
    ],
  };
}
