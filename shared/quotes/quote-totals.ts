import { formatAmount, formatPercent, PERCENT_SCALE, QUANTITY_SCALE } from './money';

/**
 * The totals of a quote, exact. The one rounding rule, also served to clients as ROUNDING_RULE:
 *
 * Every monetary amount is rounded to the currency's minor unit per line, half away from zero, at
 * each step, in this order: line gross = quantity × unit price; line discount = gross × the line's
 * discount %; the quote's discount % is stacked on what is left (quote discount share = (gross −
 * line discount) × quote %); line net = gross − line discount − quote discount share; line tax =
 * net × the line's tax rate %; line total = net + tax. The quote's totals are the exact sums of
 * its lines' figures, so they always add up: subtotal − discount total = net total, net total +
 * tax total = grand total.
 *
 * A consequence worth knowing: tax is rounded per line, so the tax of a rate in the breakdown can
 * differ by a few minor units from its taxable base × rate rounded once.
 */
export const ROUNDING_RULE =
  "Every monetary amount is rounded to the currency's minor unit per line, half away from zero, at each step, in this order: " +
  "line gross = quantity × unit price; line discount = gross × line discount %; quote discount share = (gross − line discount) × quote discount %; " +
  "line net = gross − line discount − quote discount share; line tax = line net × the line's tax rate %; line total = net + tax. " +
  'Quote totals are the exact sums of the line figures.';

/** A line as the totals read it: all integers (quantity in thousandths, price in minor units, percentages in basis points). */
export interface TotalsLine {
  quantity: number;
  unitPrice: number;
  discountPercent: number;
  taxRatePercent: number;
}

export interface QuoteTotalsInput {
  currency: string;
  lines: readonly TotalsLine[];
  /** The quote-level discount, stacked on each line's own (basis points). */
  discountPercent?: number;
}

/** One line's figures, in minor units. */
export interface LineFigures {
  gross: bigint;
  lineDiscount: bigint;
  quoteDiscount: bigint;
  net: bigint;
  tax: bigint;
  total: bigint;
}

/** The taxable base and tax of all lines at one rate. */
export interface TaxBucket {
  ratePercent: number;
  base: bigint;
  tax: bigint;
}

export interface QuoteTotals {
  currency: string;
  lines: LineFigures[];
  subtotal: bigint;
  /** Line discounts and quote discount shares together. */
  discountTotal: bigint;
  netTotal: bigint;
  taxTotal: bigint;
  grandTotal: bigint;
  /** By rate, lowest first. */
  taxes: TaxBucket[];
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const rounded = (magnitude % denominator) * 2n >= denominator ? quotient + 1n : quotient;
  return numerator < 0n ? -rounded : rounded;
}

const percentOf = (amount: bigint, bp: number) => divideRounded(amount * BigInt(bp), BigInt(PERCENT_SCALE));

export function lineFigures(line: TotalsLine, quoteDiscountPercent = 0): LineFigures {
  const gross = divideRounded(BigInt(line.quantity) * BigInt(line.unitPrice), BigInt(QUANTITY_SCALE));
  const lineDiscount = percentOf(gross, line.discountPercent);
  const quoteDiscount = percentOf(gross - lineDiscount, quoteDiscountPercent);
  const net = gross - lineDiscount - quoteDiscount;
  const tax = percentOf(net, line.taxRatePercent);
  return { gross, lineDiscount, quoteDiscount, net, tax, total: net + tax };
}

export function quoteTotals(input: QuoteTotalsInput): QuoteTotals {
  const lines = input.lines.map((line) => lineFigures(line, input.discountPercent ?? 0));
  const sum = (pick: (figures: LineFigures) => bigint) => lines.reduce((total, figures) => total + pick(figures), 0n);
  const buckets = new Map<number, TaxBucket>();
  input.lines.forEach((line, index) => {
    const bucket = buckets.get(line.taxRatePercent) ?? { ratePercent: line.taxRatePercent, base: 0n, tax: 0n };
    bucket.base += lines[index]!.net;
    bucket.tax += lines[index]!.tax;
    buckets.set(line.taxRatePercent, bucket);
  });
  return {
    currency: input.currency,
    lines,
    subtotal: sum((f) => f.gross),
    discountTotal: sum((f) => f.lineDiscount + f.quoteDiscount),
    netTotal: sum((f) => f.net),
    taxTotal: sum((f) => f.tax),
    grandTotal: sum((f) => f.total),
    taxes: [...buckets.values()].sort((a, b) => a.ratePercent - b.ratePercent),
  };
}

/** The totals as the API shows them: amounts as decimal strings in the currency, rates as percent strings. */
export function quoteTotalsView(totals: QuoteTotals) {
  const amount = (minor: bigint) => formatAmount(minor, totals.currency);
  return {
    currency: totals.currency,
    lines: totals.lines.map((f) => ({
      gross: amount(f.gross),
      lineDiscount: amount(f.lineDiscount),
      quoteDiscount: amount(f.quoteDiscount),
      net: amount(f.net),
      tax: amount(f.tax),
      total: amount(f.total),
    })),
    subtotal: amount(totals.subtotal),
    discountTotal: amount(totals.discountTotal),
    netTotal: amount(totals.netTotal),
    taxTotal: amount(totals.taxTotal),
    grandTotal: amount(totals.grandTotal),
    taxes: totals.taxes.map((t) => ({ ratePercent: formatPercent(t.ratePercent), base: amount(t.base), tax: amount(t.tax) })),
  };
}

/**
 * The highest effective discount of any line, the quote's discount stacked on the line's own:
 * 1 − (1 − line %)(1 − quote %), in basis points. It is computed exactly in ten-thousandths of a
 * basis point and divided once, so it can carry up to 4 decimals (12.5 % on 12.5 % is 2343.75 bp)
 * and compares exactly against a threshold such as 2000 bp ("discount > 20 %"). 0 for no lines.
 */
export function maxLineDiscountPercent(lines: readonly Pick<TotalsLine, 'discountPercent'>[], quoteDiscountPercent = 0): number {
  const scale = PERCENT_SCALE;
  const highest = lines.reduce((max, line) => {
    const kept = (scale - line.discountPercent) * (scale - quoteDiscountPercent);
    return Math.max(max, scale * scale - kept);
  }, 0);
  return highest / scale;
}
