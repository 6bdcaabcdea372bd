import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../shared/field-errors';
import { ALWAYS_OPEN_CALENDAR, businessCalendarSchema } from '../../../shared/sla/business-calendar';
import { slaPolicySchema, targetsFor } from '../../../shared/sla/sla-policy';

/** The field paths a 400 would name for this body; none when it is valid. */
const pathsOf = (schema: typeof businessCalendarSchema | typeof slaPolicySchema, body: unknown) => {
  const result = schema.safeParse(body);
  return result.success ? [] : fieldErrors(result.error).map((e) => e.path);
};

const office = { timeZone: 'Europe/Berlin', weeklyHours: { monday: [{ start: '09:00', end: '17:30' }] } };
const withMonday = (monday: unknown) => ({ ...office, weeklyHours: { monday } });

describe('a business calendar', () => {
  it('accepts split days, a day to midnight, and no holidays (an empty list by default)', () => {
    const parsed = businessCalendarSchema.parse(withMonday([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '24:00' }]));
    expect(parsed.holidays).toEqual([]);
  });

  it('accepts the 24x7 calendar', () => {
    expect(pathsOf(businessCalendarSchema, ALWAYS_OPEN_CALENDAR)).toEqual([]);
  });

  it.each([
    ['an unknown time zone', { ...office, timeZone: 'Mars/Olympus_Mons' }, ['timeZone']],
    ['an end before the start', withMonday([{ start: '17:00', end: '09:00' }]), ['weeklyHours.monday.0.end']],
    ['an empty interval', withMonday([{ start: '09:00', end: '09:00' }]), ['weeklyHours.monday.0.end']],
    ['24:00 as a start', withMonday([{ start: '24:00', end: '24:00' }]), ['weeklyHours.monday.0.end']],
    ['an hour 25', withMonday([{ start: '25:00', end: '26:00' }]), ['weeklyHours.monday.0.start', 'weeklyHours.monday.0.end']],
    ['a malformed time, and no second complaint about its order', withMonday([{ start: '10:00', end: '9:30' }]), ['weeklyHours.monday.0.end']],
    ['a time without a leading zero', withMonday([{ start: '9:00', end: '17:00' }]), ['weeklyHours.monday.0.start']],
    ['overlapping intervals, named at the later one', withMonday([{ start: '13:00', end: '17:00' }, { start: '09:00', end: '12:00' }, { start: '11:00', end: '14:00' }]), ['weeklyHours.monday.2.start']],
    ['an unknown weekday', { ...office, weeklyHours: { ...office.weeklyHours, funday: [] } }, ['weeklyHours.funday']],
    ['a week without opening hours', { ...office, weeklyHours: { monday: [] } }, ['weeklyHours']],
    ['a holiday that does not exist', { ...office, holidays: ['2027-12-24', '2027-02-30'] }, ['holidays.1']],
    ['a holiday with a time', { ...office, holidays: ['2027-12-24T00:00Z'] }, ['holidays.0']],
  ] as const)('refuses %s, naming the field', (_, body, paths) => {
    expect(pathsOf(businessCalendarSchema, body)).toEqual(paths);
  });
});

const policy = {
  name: 'Standard support',
  calendar: office,
  targets: {
    low: { firstResponseMinutes: 960, nextResponseMinutes: 960, resolutionMinutes: 4800 },
    normal: { firstResponseMinutes: 480, nextResponseMinutes: 480, resolutionMinutes: 2400 },
    high: { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 960 },
    urgent: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 },
  },
  levelOverrides: { gold: { urgent: { firstResponseMinutes: 15 }, high: { resolutionMinutes: 480 } } },
};

describe('an SLA policy', () => {
  const parsed = slaPolicySchema.parse(policy);

  it('gives a case the targets of its priority', () => {
    expect(targetsFor(parsed, 'normal')).toEqual({ firstResponseMinutes: 480, nextResponseMinutes: 480, resolutionMinutes: 2400 });
    expect(targetsFor(parsed, 'urgent', null)).toEqual({ firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 });
  });

  it("changes only what the customer's level overrides", () => {
    expect(targetsFor(parsed, 'urgent', 'gold')).toEqual({ firstResponseMinutes: 15, nextResponseMinutes: 60, resolutionMinutes: 480 });
    expect(targetsFor(parsed, 'high', 'gold')).toEqual({ firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 480 });
    expect(targetsFor(parsed, 'low', 'gold')).toEqual(targetsFor(parsed, 'low'));
    expect(targetsFor(parsed, 'urgent', 'bronze')).toEqual(targetsFor(parsed, 'urgent'));
  });

  it('warns at 80 % of a target unless told otherwise, with no level overrides by default', () => {
    const { levelOverrides: _, ...plain } = policy;
    expect(slaPolicySchema.parse(plain)).toMatchObject({ warningPercentUsed: 80, levelOverrides: {} });
  });

  it.each([
    ['a priority missing', { ...policy, targets: { ...policy.targets, urgent: undefined } }, ['targets.urgent']],
    ['a target of zero minutes', { ...policy, targets: { ...policy.targets, high: { ...policy.targets.high, resolutionMinutes: 0 } } }, ['targets.high.resolutionMinutes']],
    ['a fractional target', { ...policy, targets: { ...policy.targets, low: { ...policy.targets.low, nextResponseMinutes: 1.5 } } }, ['targets.low.nextResponseMinutes']],
    ['a negative override', { ...policy, levelOverrides: { gold: { urgent: { firstResponseMinutes: -5 } } } }, ['levelOverrides.gold.urgent.firstResponseMinutes']],
    ['an unknown priority in an override', { ...policy, levelOverrides: { gold: { critical: { firstResponseMinutes: 5 } } } }, ['levelOverrides.gold.critical']],
    ['a bad calendar, named inside it', { ...policy, calendar: { ...office, timeZone: 'Berlin' } }, ['calendar.timeZone']],
    ['a warning at 100 %', { ...policy, warningPercentUsed: 100 }, ['warningPercentUsed']],
  ] as const)('refuses %s, naming the field', (_, body, paths) => {
    expect(pathsOf(slaPolicySchema, body)).toEqual(paths);
  });
});
