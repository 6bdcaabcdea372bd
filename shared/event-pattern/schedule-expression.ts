// EventBridge's schedule expressions, read once for the local scheduler and the cost model.

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * The period of an EventBridge rate expression in ms: `rate(1 minute)`, `rate(15 minutes)`,
 * `rate(2 hours)`, `rate(1 day)`; singular only with 1, as EventBridge requires. Undefined for
 * anything else (cron expressions included).
 */
export function ratePeriodMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!;
  const singular = !unit.endsWith('s');
  if (value < 1 || singular !== (value === 1)) return undefined;
  return value * UNIT_MS[unit.replace(/s$/, '') as keyof typeof UNIT_MS];
}
