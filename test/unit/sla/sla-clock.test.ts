import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  elapsedBusinessMinutes,
  remainingBusinessMinutes,
  warningAfterMinutes,
  warningInstant,
} from '../../../shared/sla/sla-clock';
import { CALENDARS, computeDue, DUE_CASES, expectedDue } from './sla-cases';

const at = Date.parse;
const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());
const { berlinOffice, berlinNight, newYork, alwaysOpen } = CALENDARS;

describe('due times, matched to the minute', () => {
  it('has the table the issue asks for: at least 40 cases', () => {
    expect(DUE_CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(DUE_CASES.map((c) => [`${c.calendar}: ${c.name}`, c] as const))('%s', (_, c) => {
    expect(iso(computeDue(c))).toBe(iso(expectedDue(c)));
  });

  it('addBusinessMinutes is the clock without pauses', () => {
    expect(iso(addBusinessMinutes(berlinOffice, at('2027-01-15T16:30+01:00'), 60))).toBe(iso(at('2027-01-18T09:30+01:00')));
  });

  it('counts back to the target from every unpaused due time that starts inside hours', () => {
    for (const c of DUE_CASES.filter((d) => !d.pauses && d.due !== null && d.minutes > 0)) {
      const start = at(c.start);
      // A start outside hours would count the same; the check holds for any start.
      expect(businessMinutesBetween(CALENDARS[c.calendar], start, at(c.due!)), c.name).toBe(c.minutes);
    }
  });
});

describe('business minutes between two instants', () => {
  it.each([
    ['Friday afternoon to Monday morning (60 + 60)', berlinOffice, '2027-01-15T16:00+01:00', '2027-01-18T10:00+01:00', 120],
    ['a whole week (5 x 480)', berlinOffice, '2027-01-11T00:00+01:00', '2027-01-18T00:00+01:00', 2400],
    ['over the Christmas closure (480 + 180)', berlinOffice, '2027-12-23T09:00+01:00', '2028-01-03T12:00+01:00', 660],
    ['the year of 2027 from 4 January (252 x 480)', berlinOffice, '2027-01-04T09:00+01:00', '2027-12-24T00:00+01:00', 120960],
    ['the spring-forward night (120 + 300)', berlinNight, '2027-03-27T22:00+01:00', '2027-03-28T22:00+02:00', 420],
    ['the fall-back night (120 + 420)', berlinNight, '2027-10-30T22:00+02:00', '2027-10-31T22:00+01:00', 540],
    ['the five-hour Sunday desk of fall-back, then Monday (300 + 60)', newYork, '2027-11-06T12:00-04:00', '2027-11-08T09:00-05:00', 360],
    ['a begun minute does not count', alwaysOpen, '2027-06-01T10:00:00Z', '2027-06-01T10:01:59Z', 1],
    ['an end before the start', berlinOffice, '2027-01-12T12:00+01:00', '2027-01-12T10:00+01:00', 0],
    ['outside hours only', berlinOffice, '2027-01-12T17:00+01:00', '2027-01-13T09:00+01:00', 0],
  ] as const)('%s', (_, calendar, from, to, minutes) => {
    expect(businessMinutesBetween(calendar, at(from), at(to))).toBe(minutes);
  });
});

describe('time used and left with pauses', () => {
  // Tuesday from 09:00, 240 minutes, paused 10:00-11:00: due at 14:00.
  const start = at('2027-01-12T09:00+01:00');
  const pauses = [{ from: at('2027-01-12T10:00+01:00'), to: at('2027-01-12T11:00+01:00') }];

  it('leaves paused time out of the time used', () => {
    expect(elapsedBusinessMinutes(berlinOffice, start, pauses, at('2027-01-12T10:30+01:00'))).toBe(60);
    expect(elapsedBusinessMinutes(berlinOffice, start, pauses, at('2027-01-12T12:00+01:00'))).toBe(120);
  });

  it('leaves what is left: 0 at the due time, negative once breached', () => {
    expect(remainingBusinessMinutes(berlinOffice, start, 240, pauses, at('2027-01-12T12:00+01:00'))).toBe(120);
    expect(remainingBusinessMinutes(berlinOffice, start, 240, pauses, at('2027-01-12T14:00+01:00'))).toBe(0);
    expect(remainingBusinessMinutes(berlinOffice, start, 240, pauses, at('2027-01-12T14:30+01:00'))).toBe(-30);
    // After closing nothing more is used: 60 + 360 by 17:00, still 60 over the next morning at 09:00.
    expect(remainingBusinessMinutes(berlinOffice, start, 240, pauses, at('2027-01-13T09:00+01:00'))).toBe(-180);
  });

  it('stops the clock for as long as a pause is open', () => {
    const open = [{ from: at('2027-01-12T10:00+01:00'), to: null }];
    expect(remainingBusinessMinutes(berlinOffice, start, 240, open, at('2027-01-12T15:00+01:00'))).toBe(180);
    expect(remainingBusinessMinutes(berlinOffice, start, 240, open, at('2027-01-20T15:00+01:00'))).toBe(180);
  });

  it('counts nothing before the start', () => {
    expect(remainingBusinessMinutes(berlinOffice, start, 240, [], at('2027-01-12T08:00+01:00'))).toBe(240);
  });
});

describe('warnings before a breach', () => {
  const start = at('2027-01-12T09:00+01:00');

  it('warns once a share of the target is used (80 % of 240 = 192 minutes)', () => {
    expect(iso(warningInstant(berlinOffice, start, 240, [], { percentUsed: 80 }))).toBe(iso(at('2027-01-12T12:12+01:00')));
  });

  it('warns a number of business minutes before the due time, pauses left out (210 = 60 + 150 from 11:00)', () => {
    const pauses = [{ from: at('2027-01-12T10:00+01:00'), to: at('2027-01-12T11:00+01:00') }];
    expect(iso(warningInstant(berlinOffice, start, 240, pauses, { minutesBefore: 30 }))).toBe(iso(at('2027-01-12T13:30+01:00')));
  });

  it('warns across the weekend: 80 % of 600 = 480, from Friday 13:00 (240 + 240)', () => {
    expect(iso(warningInstant(berlinOffice, at('2027-01-15T13:00+01:00'), 600, [], { percentUsed: 80 }))).toBe(iso(at('2027-01-18T13:00+01:00')));
  });

  it('rounds a share down, so a warning is never late, and never before the start', () => {
    expect(warningAfterMinutes(50, { percentUsed: 75 })).toBe(37);
    expect(warningAfterMinutes(20, { minutesBefore: 30 })).toBe(0);
  });
});

describe('holidays are whole local days', () => {
  const nightWithHoliday = { ...berlinNight, holidays: ['2027-01-12'] };

  it("closes every interval of the day, the night desk's early hours too (60 on Monday, 60 on Wednesday)", () => {
    expect(iso(addBusinessMinutes(nightWithHoliday, at('2027-01-11T23:00+01:00'), 120))).toBe(iso(at('2027-01-13T01:00+01:00')));
  });

  it('in the calendar\'s zone, not in UTC: 23:30Z on the eve is already the holiday in Berlin', () => {
    expect(businessMinutesBetween(nightWithHoliday, at('2027-01-11T23:30Z'), at('2027-01-12T06:00+01:00'))).toBe(0);
  });
});

describe('long targets step by opening, not by minute', () => {
  it('computes a year on a business calendar in well under a second', () => {
    const started = performance.now();
    const due = addBusinessMinutes(berlinOffice, at('2027-01-04T09:00+01:00'), 120960);
    expect(iso(due)).toBe(iso(at('2027-12-23T17:00+01:00')));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up on a calendar that never opens instead of looping for ever', () => {
    expect(() => addBusinessMinutes({ timeZone: 'UTC', weeklyHours: {}, holidays: [] }, at('2027-01-04T09:00Z'), 1)).toThrow(/no opening hours for 7320 days/);
  });
});
