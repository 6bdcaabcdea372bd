import { afterEach, describe, expect, it } from 'vitest';
import { clock, installTimeSource } from '../../../shared/clock';
import { addIsoDuration, LocalClock } from '../../../local/local-clock';

const FROM = new Date('2026-01-15T08:00:00.000Z');

describe('addIsoDuration', () => {
  it.each([
    ['P31D', '2026-02-15T08:00:00.000Z'],
    ['PT2H30M', '2026-01-15T10:30:00.000Z'],
    ['P1W', '2026-01-22T08:00:00.000Z'],
    ['PT0.5S', '2026-01-15T08:00:00.500Z'],
    ['P1DT1H1M1S', '2026-01-16T09:01:01.000Z'],
  ])('adds %s', (duration, expected) => {
    const from = new Date(FROM);

    const result = addIsoDuration(from, duration);

    expect(result.toISOString()).toBe(expected);
  });

  it('adds years and months as calendar units (P1Y2M is not a fixed number of days)', () => {
    const from = new Date('2026-01-15T08:00:00.000Z');

    const result = addIsoDuration(from, 'P1Y2M');

    expect(result.toISOString()).toBe('2027-03-15T08:00:00.000Z');
  });

  it.each([
    ['2026-01-31T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
    ['2024-02-29T12:00:00.000Z', 'P1Y', '2025-02-28T12:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 'P1M', '2024-02-29T00:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', 'P1MT1H', '2026-04-30T01:00:00.000Z'],
  ])('clamps %s + %s to the last day of the target month', (from, duration, expected) => {
    expect(addIsoDuration(new Date(from), duration).toISOString()).toBe(expected);
  });

  it('adds a month across a year boundary', () => {
    const from = new Date('2026-12-10T00:00:00.000Z');

    const result = addIsoDuration(from, 'P1M');

    expect(result.toISOString()).toBe('2027-01-10T00:00:00.000Z');
  });

  it('does not modify its argument', () => {
    const from = new Date(FROM);

    addIsoDuration(from, 'P1Y');

    expect(from.toISOString()).toBe(FROM.toISOString());
  });

  it.each(['31 days', 'P', 'PT', 'P1DT', '', 'P-1D', 'PT1.5H', '1D'])('rejects %j with a RangeError', (duration) => {
    const from = new Date(FROM);

    const act = () => addIsoDuration(from, duration);

    expect(act).toThrow(RangeError);
  });
});

describe('LocalClock', () => {
  afterEach(() => {
    installTimeSource(Date.now);
  });

  it('starts at real time', () => {
    const local = new LocalClock();

    const now = local.now().getTime();

    expect(Math.abs(now - Date.now())).toBeLessThan(1000);
  });

  it('set moves now() to the given instant and returns it', () => {
    const local = new LocalClock();

    const returned = local.set('2030-06-01T12:00:00Z');

    expect(returned.getTime() - Date.parse('2030-06-01T12:00:00Z')).toBeLessThan(1000);
    expect(local.now().getTime() - Date.parse('2030-06-01T12:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(local.now().getTime() - Date.parse('2030-06-01T12:00:00Z')).toBeLessThan(1000);
  });

  it('set rejects a value that is not a date-time', () => {
    const local = new LocalClock();

    const act = () => local.set('next tuesday');

    expect(act).toThrow(RangeError);
  });

  it('advance moves now() forward by an ISO duration from where it is', () => {
    const local = new LocalClock();
    local.set('2030-01-31T00:00:00Z');

    const returned = local.advance('P1DT12H');

    expect(returned.getTime() - Date.parse('2030-02-01T12:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(returned.getTime() - Date.parse('2030-02-01T12:00:00Z')).toBeLessThan(1000);
  });

  it('advance rejects an invalid duration and leaves the time where it was', () => {
    const local = new LocalClock();
    local.set('2030-01-01T00:00:00Z');

    const act = () => local.advance('31 days');

    expect(act).toThrow(RangeError);
    expect(local.now().getTime() - Date.parse('2030-01-01T00:00:00Z')).toBeLessThan(1000);
  });

  it('install makes shared clock.now() read the local clock', () => {
    const local = new LocalClock();
    local.set('2031-05-05T05:05:05Z');

    local.install();

    expect(clock.now().getTime() - Date.parse('2031-05-05T05:05:05Z')).toBeGreaterThanOrEqual(0);
    expect(clock.now().getTime() - Date.parse('2031-05-05T05:05:05Z')).toBeLessThan(1000);
  });

  it('once installed, later moves of the local clock are seen by shared clock', () => {
    const local = new LocalClock();
    local.install();

    local.set('2032-02-02T00:00:00Z');

    expect(clock.nowIso().slice(0, 10)).toBe('2032-02-02');
  });

  it('before install, shared clock keeps real time', () => {
    const local = new LocalClock();

    local.set('2033-01-01T00:00:00Z');

    expect(Math.abs(clock.nowMs() - Date.now())).toBeLessThan(1000);
  });
});
