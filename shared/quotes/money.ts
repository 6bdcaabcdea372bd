import * as z from 'zod/mini';
import { ValidationFailed } from '../errors';

/**
 * Exact money for products and quotes: amounts travel as decimal strings ("100.00") and are kept
 * as integers of the currency's minor unit (cents, yen, fils), never as floats. Stored per-unit
 * values (a price, a quantity, a percentage) are safe integers; anything computed from them (a
 * line's quantity × price, a sum of lines) is a bigint, since a product of two safe integers is
 * not one. Pure: no I/O.
 *
 * Unlike shared/deals/money.ts (hundredths for every currency), the scale here is the currency's
 * own: JPY has none, BHD three.
 */

/**
 * ISO 4217 minor units of the currencies we accept. An explicit table, not Intl: the runtime's ICU
 * data differs between Node versions (ICU gives ISK and HUF other digits than ISO does).
 */
const MINOR_UNITS = {
  // No minor unit in use.
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // Hundredths.
  AED: 2, ARS: 2, AUD: 2, BGN: 2, BRL: 2, CAD: 2, CHF: 2, CNY: 2, COP: 2, CZK: 2, DKK: 2, EGP: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2,
  IDR: 2, ILS: 2, INR: 2, KES: 2, MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, PEN: 2, PHP: 2, PKR: 2, PLN: 2, QAR: 2, RON: 2,
  RSD: 2, SAR: 2, SEK: 2, SGD: 2, THB: 2, TRY: 2, TWD: 2, UAH: 2, USD: 2, ZAR: 2,
  // Thousandths.
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
} as const satisfies Record<string, 0 | 2 | 3>;

export type CurrencyCode = keyof typeof MINOR_UNITS;

/** The currencies a price or quote may be in, alphabetically. */
export const SUPPORTED_CURRENCIES = Object.keys(MINOR_UNITS).sort() as readonly CurrencyCode[];

export const isSupportedCurrency = (code: string): code is CurrencyCode => Object.hasOwn(MINOR_UNITS, code);

/** How many decimals the currency's amounts have; undefined for a code we do not support. */
export const currencyDecimals = (code: string): 0 | 2 | 3 | undefined => (isSupportedCurrency(code) ? MINOR_UNITS[code] : undefined);

/** An ISO 4217 code of a supported currency, upper case (an enum, so the OpenAPI document lists them). */
export const currencyCode = z.enum(SUPPORTED_CURRENCIES as [CurrencyCode, ...CurrencyCode[]], 'Expected a supported ISO 4217 currency code such as EUR');

/**
 * At most 12 integer digits, so an amount in thousandths (1e15) still is a safe integer. Any number
 * of decimals fits the shape: how many the currency allows is a separate, more telling error.
 */
export const AMOUNT_SHAPE = /^(\d{1,12})(?:\.(\d+))?$/;
const AMOUNT_SHAPE_MESSAGE = 'Expected an amount such as "100.00": a string of digits with a decimal point, no sign or separators, at most 12 digits before the point';

/** An amount in a request body before its currency is known: the shape only (amountError checks the decimals). */
export const amountText = z.string().check(z.regex(AMOUNT_SHAPE, AMOUNT_SHAPE_MESSAGE));

/** Why `text` is no amount in `currency`, or undefined when it is one. */
export function amountError(text: string, currency: string): string | undefined {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined) return `${currency} is not a supported currency`;
  const match = AMOUNT_SHAPE.exec(text);
  if (!match) return AMOUNT_SHAPE_MESSAGE;
  if ((match[2] ?? '').length > decimals) return decimals === 0 ? `${currency} allows no decimals` : `${currency} allows at most ${decimals} decimals`;
  return undefined;
}

/** "100.5" EUR -> 10050; a text that is no amount in the currency is a 400 naming `path`. */
export function parseAmount(text: string, currency: string, path = 'amount'): number {
  const error = amountError(text, currency);
  if (error !== undefined) throw new ValidationFailed([{ path, message: error }]);
  const [, whole, fraction = ''] = AMOUNT_SHAPE.exec(text)!;
  const decimals = currencyDecimals(currency)!;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

/** Minor units back to a decimal string with exactly the currency's decimals: 10050 EUR -> "100.50", 1500 JPY -> "1500". */
export function formatAmount(minor: number | bigint, currency: string): string {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined) throw new Error(`Unsupported currency ${currency}`);
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(decimals + 1, '0');
  return decimals === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * Percentages (discounts, tax rates) as exact decimal strings: "20", "12.5", "7.25", at most 2
 * decimals, from 0 to 100. Kept as integers of hundredths of a percent (basis points: "7.25" -> 725).
 */
const PERCENT_SHAPE = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const PERCENT_SHAPE_MESSAGE = 'Expected a percentage such as "20" or "7.25" (a string, at most 2 decimals)';
const PERCENT_RANGE_MESSAGE = 'Expected a percentage from 0 to 100';
export const PERCENT_SCALE = 10_000; // basis points in a whole

export function percentError(text: string): string | undefined {
  const match = PERCENT_SHAPE.exec(text);
  if (!match) return PERCENT_SHAPE_MESSAGE;
  return bpOf(match) > PERCENT_SCALE ? PERCENT_RANGE_MESSAGE : undefined;
}

const bpOf = (match: RegExpExecArray) => Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));

/** "7.25" -> 725 basis points; a text that is no percentage is a 400 naming `path`. */
export function parsePercent(text: string, path = 'percent'): number {
  const error = percentError(text);
  if (error !== undefined) throw new ValidationFailed([{ path, message: error }]);
  return bpOf(PERCENT_SHAPE.exec(text)!);
}

/** 725 -> "7.25", 1250 -> "12.5", 2000 -> "20": the shortest exact form. */
export function formatPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const fraction = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** A percentage in a request body; the schema keeps the string, parsePercent turns it into basis points. */
export const percent = z.string().check(
  z.regex(PERCENT_SHAPE, PERCENT_SHAPE_MESSAGE),
  z.refine((text) => !PERCENT_SHAPE.test(text) || percentError(text) === undefined, PERCENT_RANGE_MESSAGE),
);

/**
 * Quantities: positive, at most 3 decimals (2.5 hours, 0.125 kg), up to a million, sent as JSON
 * numbers and kept as integers of thousandths.
 */
export const QUANTITY_SCALE = 1000;
export const MAX_QUANTITY = 1_000_000;

/**
 * Why `value` is no quantity, or undefined. "At most 3 decimals" is checked by a round trip
 * through thousandths: a JSON literal with ≤ 3 decimals parses to the double nearest k/1000, and
 * k/1000 computed here is that same double; a literal with more decimals is not.
 */
export function quantityError(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return 'Expected a quantity greater than 0';
  if (value > MAX_QUANTITY) return `Expected a quantity of at most ${MAX_QUANTITY}`;
  return Math.round(value * QUANTITY_SCALE) / QUANTITY_SCALE === value ? undefined : 'A quantity has at most 3 decimals';
}

/** 2.5 -> 2500 thousandths; anything else than a quantity is a 400 naming `path`. */
export function parseQuantity(value: number, path = 'quantity'): number {
  const error = quantityError(value);
  if (error !== undefined) throw new ValidationFailed([{ path, message: error }]);
  return Math.round(value * QUANTITY_SCALE);
}

/** Thousandths back to the number a client sent (2500 -> 2.5). */
export const formatQuantity = (thousandths: number): number => thousandths / QUANTITY_SCALE;

/** A quantity in a request body: a JSON number, kept as sent; parseQuantity turns it into thousandths. */
export const quantity = z.number().check(
  z.superRefine((value, ctx) => {
    const message = quantityError(value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', input: value, message });
  }),
);
