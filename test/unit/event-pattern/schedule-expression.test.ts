import { describe, expect, it } from 'vitest';
import { ratePeriodMs } from '../../../shared/event-pattern/schedule-expression';

describe('ratePeriodMs', () => {
  it('reads the rate expressions EventBridge accepts', () => {
    expect(ratePeriodMs('rate(1 minute)')).toBe(60_000);
    expect(ratePeriodMs('rate(15 minutes)')).toBe(900_000);
    expect(ratePeriodMs('rate(2 hours)')).toBe(7_200_000);
    expect(ratePeriodMs('rate(1 day)')).toBe(86_400_000);
  });

  it('refuses what EventBridge refuses, and cron', () => {
    expect(ratePeriodMs('rate(1 minutes)')).toBeUndefined();
    expect(ratePeriodMs('rate(5 minute)')).toBeUndefined();
    expect(ratePeriodMs('rate(0 minutes)')).toBeUndefined();
    expect(ratePeriodMs('cron(0 12 * * ? *)')).toBeUndefined();
  });
});
