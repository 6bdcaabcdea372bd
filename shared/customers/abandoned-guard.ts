/**
 * An import claims a value's guard with its own write before it writes the customer's profile
 * (docs/integrations.md, "How a row is written"), stamping the guard `claimedAt`. A crash
 * between the two, in a run that is then cancelled rather than resumed, leaves a guard naming a
 * customer that was never written. Past this age such a guard is abandoned: no writer can still
 * be between its two writes (a Lambda function runs 15 minutes at most), so whoever needs the
 * value next may take it. Guards written in a transaction with their profile carry no
 * `claimedAt` and are never abandoned.
 */
export const ABANDONED_GUARD_MINUTES = 20;

export function isAbandonedGuard(guard: Record<string, unknown>, holderExists: boolean, nowIso: string): boolean {
  if (holderExists || typeof guard.claimedAt !== 'string') return false;
  return Date.parse(guard.claimedAt) + ABANDONED_GUARD_MINUTES * 60_000 <= Date.parse(nowIso);
}
