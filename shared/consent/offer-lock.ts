import { ValidationFailed } from '../errors';

/**
 * The offer lock (docs/marketing.md, "Frequency cap and offer lock"): while one offer holds a
 * customer, no other offer may be sent to them, so nobody gets "20% off" and "free shipping"
 * in the same week. Pure rules; offer-lock-repository.ts applies them as one conditional write.
 */

export interface OfferLock {
  offerId: string;
  /** The lock holds while `now < until`. */
  until: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** A lock stops holding at exactly `until` (the same boundary the conditional write uses: `until <= now` is free). */
export function isLockExpired(lock: OfferLock, nowIso: string): boolean {
  return Date.parse(lock.until) <= Date.parse(nowIso);
}

export type OfferLockDecision = { acquire: true } | { acquire: false; heldBy: string; until: string };

/** Whether `offerId` may take the customer: no lock, an expired one, or its own (idempotent re-acquire). */
export function offerLockDecision(current: OfferLock | undefined, offerId: string, nowIso: string): OfferLockDecision {
  if (!current || current.offerId === offerId || isLockExpired(current, nowIso)) return { acquire: true };
  return { acquire: false, heldBy: current.offerId, until: current.until };
}

/** The end of a lock taken at `nowIso` for the tenant's `offerLockDays` (the default length a flow asks for). */
export function offerLockUntil(nowIso: string, offerLockDays: number): string {
  return new Date(Date.parse(nowIso) + offerLockDays * DAY_MS).toISOString();
}

/** Lock arguments a flow passes; a bad one is a caller's bug, reported like bad input (400 naming it), never stored. */
export function assertOfferLockArguments(offerId: string, untilIso: string, nowIso: string): void {
  const errors = [];
  if (offerId.length === 0 || offerId.length > 200) errors.push({ path: 'offerId', message: 'Expected 1 to 200 characters' });
  const until = Date.parse(untilIso);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(untilIso) || Number.isNaN(until)) {
    errors.push({ path: 'untilIso', message: 'Expected an ISO timestamp in UTC such as 2026-12-01T00:00:00.000Z' });
  } else if (until <= Date.parse(nowIso)) {
    errors.push({ path: 'untilIso', message: 'Expected a time in the future' });
  }
  if (errors.length) throw new ValidationFailed(errors);
}
