/**
 * Send-rate rules (docs/marketing.md, "Send rate"): SES counts the recipients it accepts per
 * wall-clock second against the account's maximum send rate, and a campaign may ask for a lower
 * rate. Sends are reserved in per-second counters before the SES call; these pure rules say which
 * second to try and whether a reservation still holds when the sender is ready to call SES.
 *
 * Physical time on purpose (Date.now, not the app clock): the quota is SES's, and the local
 * runtime's time travel must not let a sender burst.
 */

/** A send must start at least this long before its second ends, so SES receives it within that second. */
export const SEND_SECOND_MARGIN_MS = 100;
/** Seconds ahead a sender looks for room before it waits for time to pass. */
export const SEND_SECONDS_AHEAD = 30;

/** The first second a send starting at `nowMs` may reserve: this one, or the next if too little of it is left. */
export function firstUsableSecond(nowMs: number): number {
  const second = Math.floor(nowMs / 1000);
  return nowMs - second * 1000 > 1000 - SEND_SECOND_MARGIN_MS ? second + 1 : second;
}

/** Whether a reservation for `second` can still be used at `nowMs` (before its margin). */
export function reservationUsable(second: number, nowMs: number): boolean {
  return nowMs >= second * 1000 && nowMs < (second + 1) * 1000 - SEND_SECOND_MARGIN_MS;
}

/** The largest batch a sender may reserve in one second: SES's 50, the campaign's rate, the account's rate. */
export function batchSizeFor(rates: readonly number[], bulkMax: number): number {
  return Math.max(1, Math.min(bulkMax, ...rates.map((r) => Math.floor(r))));
}
