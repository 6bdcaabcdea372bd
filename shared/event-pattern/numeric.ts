/**
 * EventBridge compares numbers in a fixed-point form: "limited to values between -5.0e9 and
 * +5.0e9 inclusive, with 15 digits of precision, or six digits to the right of the decimal
 * point" (content filtering docs). Event Ruler refuses pattern numbers outside that, and a
 * number in an event outside the range can never satisfy a `numeric` condition.
 */
export const NUMERIC_LIMIT = 5e9;
export const NUMERIC_MAX_DECIMALS = 6;

/** Digits after the decimal point in the shortest representation (`1e-7` has 7). */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
}

/** Why a pattern number cannot be compared numerically, or undefined when it can. */
export function comparableNumberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (Math.abs(value) > NUMERIC_LIMIT) return `must be between -5e9 and 5e9 inclusive (got ${value})`;
  if (decimalPlaces(value) > NUMERIC_MAX_DECIMALS) return `may have at most 6 decimal places (got ${value})`;
  return undefined;
}

/** Whether an event number is inside the range EventBridge can compare. */
export function isComparableEventNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= NUMERIC_LIMIT;
}
