import { describe, expect, it } from 'vitest';
import { instantOfWallTime, isKnownTimeZone, isoDateOf, localDayOf, offsetAt, weekdayOf } from '../../../shared/sla/zoned-time';

const iso = (instant: number) => new Date(instant).toISOString();
const dayOf = (date: string) => Date.parse(`${date}T00:00Z`) / 86_400_000;
const HOUR = 3_600_000;

describe('wall-clock times of a zone', () => {
  it('reads offsets, half hours included', () => {
    expect(offsetAt(Date.parse('2027-01-12T12:00Z'), 'Europe/Berlin')).toBe(HOUR);
    expect(offsetAt(Date.parse('2027-07-12T12:00Z'), 'Europe/Berlin')).toBe(2 * HOUR);
    expect(offsetAt(Date.parse('2027-07-12T12:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
    expect(offsetAt(Date.parse('2027-07-12T12:00Z'), 'America/New_York')).toBe(-4 * HOUR);
  });

  it('maps an ordinary wall time to its one instant', () => {
    expect(iso(instantOfWallTime(dayOf('2027-01-12'), 9 * 60, 'Europe/Berlin'))).toBe('2027-01-12T08:00:00.000Z');
    expect(iso(instantOfWallTime(dayOf('2027-01-12'), 24 * 60, 'America/New_York'))).toBe('2027-01-13T05:00:00.000Z');
  });

  it('maps a wall time inside a spring-forward gap to the instant the clocks jump', () => {
    expect(iso(instantOfWallTime(dayOf('2027-03-28'), 2 * 60 + 30, 'Europe/Berlin'))).toBe('2027-03-28T01:00:00.000Z');
    expect(iso(instantOfWallTime(dayOf('2027-03-14'), 2 * 60 + 59, 'America/New_York'))).toBe('2027-03-14T07:00:00.000Z');
    // Lord Howe skips 02:00-02:30 on 3 October (15:30Z on the 2nd).
    expect(iso(instantOfWallTime(dayOf('2027-10-03'), 2 * 60 + 15, 'Australia/Lord_Howe'))).toBe('2027-10-02T15:30:00.000Z');
  });

  it('maps a wall time shown twice in a fall-back overlap to its first occurrence', () => {
    expect(iso(instantOfWallTime(dayOf('2027-10-31'), 2 * 60 + 30, 'Europe/Berlin'))).toBe('2027-10-31T00:30:00.000Z');
    expect(iso(instantOfWallTime(dayOf('2027-11-07'), 60 + 30, 'America/New_York'))).toBe('2027-11-07T05:30:00.000Z');
    // Lord Howe shows 01:30-02:00 twice on 4 April: first at +11:00.
    expect(iso(instantOfWallTime(dayOf('2027-04-04'), 60 + 45, 'Australia/Lord_Howe'))).toBe('2027-04-03T14:45:00.000Z');
  });

  it('names local days and their weekdays', () => {
    // 23:30Z on Saturday is already Sunday in Berlin, still Saturday in New York.
    const instant = Date.parse('2027-01-16T23:30Z');
    expect(isoDateOf(localDayOf(instant, 'Europe/Berlin'))).toBe('2027-01-17');
    expect(weekdayOf(localDayOf(instant, 'Europe/Berlin'))).toBe(0);
    expect(isoDateOf(localDayOf(instant, 'America/New_York'))).toBe('2027-01-16');
    expect(weekdayOf(localDayOf(instant, 'America/New_York'))).toBe(6);
  });

  it('knows IANA zones and nothing else', () => {
    expect(isKnownTimeZone('Australia/Lord_Howe')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
