import { installTimeSource } from '../shared/clock';

/**
 * The clock the handlers, flows and schedules read locally: real time plus an offset that
 * POST /_local/clock moves. It only moves forward from where it is set, like real time.
 */
export class LocalClock {
  private offsetMs = 0;

  install(): void {
    installTimeSource(() => Date.now() + this.offsetMs);
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(iso: string): Date {
    const target = Date.parse(iso);
    if (Number.isNaN(target)) throw new RangeError(`Not an ISO 8601 date-time: ${iso}`);
    this.offsetMs = target - Date.now();
    return this.now();
  }

  advance(duration: string): Date {
    const next = addIsoDuration(this.now(), duration);
    this.offsetMs = next.getTime() - Date.now();
    return this.now();
  }
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO 8601 durations (P31D, PT2H30M, P1Y2M) added in UTC; years and months are calendar units. */
export function addIsoDuration(from: Date, duration: string): Date {
  const m = DURATION.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new RangeError(`Not an ISO 8601 duration: ${duration}`);
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  const d = new Date(from.getTime());
  // Calendar arithmetic clamps to the target month's last day (Jan 31 + P1M = Feb 28), as Temporal does.
  const targetMonth = d.getUTCMonth() + months! + years! * 12;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), targetMonth + 1, 0)).getUTCDate();
  d.setUTCFullYear(d.getUTCFullYear(), targetMonth, Math.min(d.getUTCDate(), lastDay));
  return new Date(d.getTime() + ((weeks! * 7 + days!) * 86_400 + hours! * 3600 + minutes! * 60 + seconds!) * 1000);
}
