/**
 * Money without float drift: amounts travel as decimal strings ("1234.50") and are stored and summed
 * as integers of hundredths (minor units at scale 2 for every currency). Sums are per currency; there
 * is no conversion between currencies (docs/pipeline.md).
 */

/** A non-negative amount with at most 12 integer and 2 decimal digits (deal.ts validates input with it). */
export const AMOUNT_PATTERN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** "1234.5" -> 123450 (hundredths). The input is already validated by `amountInput`. */
export function toMinor(amount: string): number {
  const match = AMOUNT_PATTERN.exec(amount);
  if (!match) throw new Error(`Not an amount: ${amount}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Hundredths -> "1234.50". */
export function fromMinor(minor: bigint | number): string {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Sum of amount x percent, in hundredths x percent: exact until it is rounded once, at the end (half up). */
export function fromMinorPercent(minorTimesPercent: bigint): string {
  const sign = minorTimesPercent < 0n ? -1n : 1n;
  const abs = minorTimesPercent * sign;
  return fromMinor(((abs + 50n) / 100n) * sign);
}

/** Per-currency sums of integer amounts, in a form that can be added without rounding. */
export class CurrencySums {
  private readonly sums = new Map<string, bigint>();

  add(currency: string, value: bigint | number): void {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + BigInt(value));
  }

  /** Currency -> decimal string, currencies sorted. `scale` "percent" for weighted sums. */
  view(scale: 'minor' | 'percent' = 'minor'): Record<string, string> {
    return Object.fromEntries(
      [...this.sums.keys()].sort().map((currency) => {
        const value = this.sums.get(currency)!;
        return [currency, scale === 'minor' ? fromMinor(value) : fromMinorPercent(value)];
      }),
    );
  }
}
