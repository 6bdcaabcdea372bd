import { describe, expect, it } from 'vitest';
import { LocalScheduler } from '../../../local/scheduler';

describe('LocalScheduler', () => {
  function setup() {
    let now = Date.parse('2027-01-01T00:00:00Z');
    const fired: string[] = [];
    const source = {
      schedules: () => [
        { name: 'due-marketing', expression: 'rate(1 minute)' },
        { name: 'reclaim', expression: 'rate(15 minutes)' },
        { name: 'nightly', expression: 'cron(0 2 * * ? *)' },
      ],
      runSchedule: (name: string) => fired.push(name),
    };
    const scheduler = new LocalScheduler(source, () => new Date(now));
    return { scheduler, fired, advance: (ms: number) => (now += ms) };
  }

  it('fires each rule once per period after start, not before', () => {
    const { scheduler, fired, advance } = setup();
    advance(59_999);
    expect(scheduler.tick()).toEqual([]);
    advance(1);
    expect(scheduler.tick()).toEqual(['due-marketing']);
    expect(scheduler.tick()).toEqual([]);
    advance(14 * 60_000);
    expect(scheduler.tick()).toEqual(['due-marketing', 'reclaim']);
    expect(fired).toEqual(['due-marketing', 'due-marketing', 'reclaim']);
  });

  it('fires once when the clock jumps over many periods, then keeps its grid', () => {
    const { scheduler, advance } = setup();
    advance(31 * 86_400_000 + 30_000);
    expect(scheduler.tick()).toEqual(['due-marketing', 'reclaim']);
    expect(scheduler.tick()).toEqual([]);
    advance(30_000);
    expect(scheduler.tick()).toEqual(['due-marketing']);
  });

  it('names the schedules it cannot fire by itself', () => {
    expect(setup().scheduler.unsupported).toEqual(['nightly: cron(0 2 * * ? *)']);
  });
});
