import { ratePeriodMs } from '../shared/event-pattern/schedule-expression';

/**
 * EventBridge's scheduled rules, on the runtime's clock: each `rate(...)` rule fires every period
 * after the runtime starts, as a deployed rule fires every period after it is created. When
 * `POST /_local/clock` jumps over one or more periods the rule fires once, not once per missed
 * period: EventBridge does not catch up on invocations it missed either.
 */
export interface ScheduleSource {
  schedules(): { name: string; expression: string }[];
  runSchedule(name: string): unknown;
}

interface Due {
  name: string;
  periodMs: number;
  nextAt: number;
}

export class LocalScheduler {
  private readonly due: Due[] = [];
  private timer?: NodeJS.Timeout;
  /** Expressions this runtime cannot fire by itself (reported once at start). */
  readonly unsupported: string[] = [];

  constructor(
    private readonly source: ScheduleSource,
    private readonly now: () => Date,
    private readonly tickMs = 1000,
  ) {
    const start = this.now().getTime();
    for (const { name, expression } of source.schedules()) {
      const periodMs = ratePeriodMs(expression);
      if (periodMs === undefined) this.unsupported.push(`${name}: ${expression}`);
      else this.due.push({ name, periodMs, nextAt: start + periodMs });
    }
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Fires every rule whose time has come; returns the names fired. */
  tick(): string[] {
    const now = this.now().getTime();
    const fired: string[] = [];
    for (const schedule of this.due) {
      if (now < schedule.nextAt) continue;
      this.source.runSchedule(schedule.name);
      fired.push(schedule.name);
      // The next period boundary after now, on the grid set at start: one fire per jump.
      const missed = Math.floor((now - schedule.nextAt) / schedule.periodMs) + 1;
      schedule.nextAt += missed * schedule.periodMs;
    }
    return fired;
  }

  /** When each rule fires next, for GET /_local/schedules. */
  next(): Record<string, string> {
    return Object.fromEntries(this.due.map((d) => [d.name, new Date(d.nextAt).toISOString()]));
  }
}
