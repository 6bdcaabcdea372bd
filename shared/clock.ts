/**
 * The one place code asks for the time. In AWS it is the system clock; the local runtime installs
 * a controllable clock (POST /_local/clock) so "30 days without follow-up" can be tested by time
 * travel instead of waiting.
 */
type TimeSource = () => number;

let source: TimeSource = Date.now;

export const clock = {
  nowMs: (): number => source(),
  now: (): Date => new Date(source()),
  nowIso: (): string => new Date(source()).toISOString(),
  epochSeconds: (): number => Math.floor(source() / 1000),
};

/** Only the local runtime and tests call this. */
export function installTimeSource(next: TimeSource): void {
  source = next;
}
