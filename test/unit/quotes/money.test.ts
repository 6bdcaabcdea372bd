import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../shared/field-errors';
import {
  amountError,
  currencyCode,
  currencyDecimals,
  formatAmount,
  formatPercent,
  formatQuantity,
  parseAmount,
  parsePercent,
  parseQuantity,
  percent,
  quantity,
  SUPPORTED_CURRENCIES,
} from '../../../shared/quotes/money';
import { validationPaths } from '../validation-paths';

describe('currencies', () => {
  it.each([
    ['JPY', 0], ['KRW', 0], ['CLP', 0], ['ISK', 0], ['VND', 0], ['XOF', 0], ['XAF', 0],
    ['EUR', 2], ['USD', 2], ['GBP', 2], ['CHF', 2], ['HUF', 2], ['SEK', 2], ['INR', 2], ['AED', 2],
    ['BHD', 3], ['KWD', 3], ['OMR', 3], ['JOD', 3], ['TND', 3], ['LYD', 3], ['IQD', 3],
  ] as const)('%s has %i decimals (ISO 4217)', (code, decimals) => {
    expect(currencyDecimals(code)).toBe(decimals);
    expect(SUPPORTED_CURRENCIES).toContain(code);
  });

  it('knows no other codes, and no lower case or inherited names', () => {
    for (const code of ['XYZ', 'eur', 'EURO', '', 'toString', '__proto__']) expect(currencyDecimals(code)).toBeUndefined();
  });

  it('lists the supported codes alphabetically, each once', () => {
    expect([...SUPPORTED_CURRENCIES]).toEqual([...new Set(SUPPORTED_CURRENCIES)].sort());
  });

  it('accepts only supported codes in a request', () => {
    expect(currencyCode.safeParse('EUR').success).toBe(true);
    expect(currencyCode.safeParse('XYZ').success).toBe(false);
    expect(currencyCode.safeParse('eur').success).toBe(false);
  });
});

describe('amounts', () => {
  it.each([
    ['100.00', 'EUR', 10000, '100.00'],
    ['100', 'EUR', 10000, '100.00'],
    ['0.5', 'EUR', 50, '0.50'],
    ['0.05', 'USD', 5, '0.05'],
    ['0', 'EUR', 0, '0.00'],
    ['1500', 'JPY', 1500, '1500'],
    ['1.25', 'BHD', 1250, '1.250'],
    ['0.001', 'KWD', 1, '0.001'],
    ['999999999999.99', 'EUR', 99999999999999, '999999999999.99'],
    ['999999999999.999', 'KWD', 999999999999999, '999999999999.999'],
  ])('%s %s is %i minor units, shown as %s', (text, currency, minor, shown) => {
    expect(parseAmount(text, currency)).toBe(minor);
    expect(formatAmount(minor, currency)).toBe(shown);
  });

  it('formats bigints past 2^53 and negatives exactly', () => {
    expect(formatAmount(123456789012345678901n, 'EUR')).toBe('1234567890123456789.01');
    expect(formatAmount(-5n, 'BHD')).toBe('-0.005');
    expect(formatAmount(-1500, 'JPY')).toBe('-1500');
  });

  it('refuses more decimals than the currency has, saying how many it allows', () => {
    expect(amountError('100.001', 'EUR')).toBe('EUR allows at most 2 decimals');
    expect(amountError('100.0001', 'BHD')).toBe('BHD allows at most 3 decimals');
    expect(amountError('100.0', 'JPY')).toBe('JPY allows no decimals');
    expect(amountError('100.00', 'KRW')).toBe('KRW allows no decimals');
  });

  it.each(['-1', '+1', '1e3', '1,000.00', '1 000', '.5', '5.', '', ' 1', '0x10', '1000000000000', 'abc'])('refuses %j', (text) => {
    expect(amountError(text, 'EUR')).toMatch(/Expected an amount/);
  });

  it('refuses an unknown currency', () => {
    expect(amountError('1.00', 'XYZ')).toBe('XYZ is not a supported currency');
    expect(() => formatAmount(1, 'XYZ')).toThrow(/Unsupported currency/);
  });

  it('raises a 400 naming the path it is given', () => {
    expect(validationPaths(() => parseAmount('1.234', 'EUR', 'prices.EUR'))).toEqual(['prices.EUR']);
    expect(validationPaths(() => parseAmount('x', 'EUR'))).toEqual(['amount']);
  });
});

describe('percentages', () => {
  it.each([
    ['20', 2000, '20'],
    ['12.5', 1250, '12.5'],
    ['7.25', 725, '7.25'],
    ['0', 0, '0'],
    ['0.01', 1, '0.01'],
    ['100', 10000, '100'],
    ['100.00', 10000, '100'],
    ['5.50', 550, '5.5'],
  ])('%s %% is %i basis points, shown as %s', (text, bp, shown) => {
    expect(parsePercent(text)).toBe(bp);
    expect(formatPercent(bp)).toBe(shown);
  });

  it.each(['100.01', '101', '-1', '7.255', '1e1', '', '.5', '20%', '1000'])('refuses %j', (text) => {
    expect(validationPaths(() => parsePercent(text, 'discountPercent'))).toEqual(['discountPercent']);
    expect(percent.safeParse(text).success).toBe(false);
  });

  it('takes only strings in a request, and says what it expected', () => {
    expect(percent.safeParse('19').success).toBe(true);
    expect(percent.safeParse(19).success).toBe(false);
    const result = percent.safeParse('150');
    expect(result.success ? [] : fieldErrors(result.error)).toEqual([{ path: '', message: 'Expected a percentage from 0 to 100' }]);
    const malformed = percent.safeParse('7.255');
    expect(malformed.success ? [] : fieldErrors(malformed.error).map((e) => e.message)).toEqual(['Expected a percentage such as "20" or "7.25" (a string, at most 2 decimals)']);
  });
});

describe('quantities', () => {
  it.each([
    [1, 1000],
    [2.5, 2500],
    [0.001, 1],
    [0.125, 125],
    [1.005, 1005],
    [999999.999, 999999999],
    [1_000_000, 1_000_000_000],
  ])('%d is %i thousandths and back', (value, thousandths) => {
    expect(parseQuantity(value)).toBe(thousandths);
    expect(formatQuantity(thousandths)).toBe(value);
  });

  it.each([0, -1, -0.5, 0.0001, 1.0005, 2.12345, 0.1 + 0.2, 1_000_000.001, 2_000_000, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (value) => {
    expect(validationPaths(() => parseQuantity(value, 'lines.0.quantity'))).toEqual(['lines.0.quantity']);
    expect(quantity.safeParse(value).success).toBe(false);
  });

  it('takes only JSON numbers in a request', () => {
    expect(quantity.safeParse(2.5).success).toBe(true);
    expect(quantity.safeParse('2.5').success).toBe(false);
  });
});
