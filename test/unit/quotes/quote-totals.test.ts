import { describe, expect, it } from 'vitest';
import { parseAmount, parsePercent, parseQuantity } from '../../../shared/quotes/money';
import { divideRounded, maxLineDiscountPercent, quoteTotals, quoteTotalsView, ROUNDING_RULE, type TotalsLine } from '../../../shared/quotes/quote-totals';

/** [quantity, unit price, line discount %, tax rate %], written as a client sends them. */
type Line = [number, string, string, string];

interface Case {
  name: string;
  currency: string;
  lines: Line[];
  quoteDiscount?: string;
  /** Hand-computed: subtotal, discount total, net total, tax total, grand total. */
  expected: [string, string, string, string, string];
}

const toLines = (currency: string, lines: Line[]): TotalsLine[] =>
  lines.map(([quantity, price, discount, tax]) => ({
    quantity: parseQuantity(quantity),
    unitPrice: parseAmount(price, currency),
    discountPercent: parsePercent(discount),
    taxRatePercent: parsePercent(tax),
  }));

const totalsOf = (c: Pick<Case, 'currency' | 'lines' | 'quoteDiscount'>) =>
  quoteTotals({ currency: c.currency, lines: toLines(c.currency, c.lines), discountPercent: c.quoteDiscount === undefined ? undefined : parsePercent(c.quoteDiscount) });

// Every expectation below was worked out by hand from the rule in quote-totals.ts, not by the code.
const CASES: Case[] = [
  // EUR, 2 decimals
  { name: 'one line at 20 %', currency: 'EUR', lines: [[1, '100.00', '0', '20']], expected: ['100.00', '0.00', '100.00', '20.00', '120.00'] },
  { name: '19 % tax rounded down (11.3943)', currency: 'EUR', lines: [[3, '19.99', '0', '19']], expected: ['59.97', '0.00', '59.97', '11.39', '71.36'] },
  { name: 'a fractional quantity of hours', currency: 'EUR', lines: [[2.5, '80.00', '0', '20']], expected: ['200.00', '0.00', '200.00', '40.00', '240.00'] },
  { name: 'a discount of exactly half a cent rounds away from zero', currency: 'EUR', lines: [[1, '0.05', '10', '0']], expected: ['0.05', '0.01', '0.04', '0.00', '0.04'] },
  { name: 'a tax just under half a cent rounds down (0.0049)', currency: 'EUR', lines: [[1, '0.49', '0', '1']], expected: ['0.49', '0.00', '0.49', '0.00', '0.49'] },
  { name: 'a tax of exactly half a cent rounds up (0.005)', currency: 'EUR', lines: [[1, '0.50', '0', '1']], expected: ['0.50', '0.00', '0.50', '0.01', '0.51'] },
  { name: 'a gross of 1.25 cents rounds down', currency: 'EUR', lines: [[0.125, '0.10', '0', '0']], expected: ['0.01', '0.00', '0.01', '0.00', '0.01'] },
  { name: 'a gross of 2.5 cents rounds up', currency: 'EUR', lines: [[0.125, '0.20', '0', '0']], expected: ['0.03', '0.00', '0.03', '0.00', '0.03'] },
  { name: 'a third of a unit', currency: 'EUR', lines: [[0.333, '10.00', '0', '19']], expected: ['3.33', '0.00', '3.33', '0.63', '3.96'] },
  { name: 'line and quote discounts stacked', currency: 'EUR', lines: [[1, '100.00', '10', '20']], quoteDiscount: '10', expected: ['100.00', '19.00', '81.00', '16.20', '97.20'] },
  { name: '12.5 % on 12.5 %, both rounded', currency: 'EUR', lines: [[1, '100.00', '12.5', '19']], quoteDiscount: '12.5', expected: ['100.00', '23.44', '76.56', '14.55', '91.11'] },
  { name: 'a 12.5 % line discount rounded up (12.49875)', currency: 'EUR', lines: [[1, '99.99', '12.5', '20']], expected: ['99.99', '12.50', '87.49', '17.50', '104.99'] },
  { name: 'a 100 % line discount', currency: 'EUR', lines: [[2, '50.00', '100', '20']], expected: ['100.00', '100.00', '0.00', '0.00', '0.00'] },
  { name: 'a 100 % quote discount', currency: 'EUR', lines: [[1, '10.00', '0', '20']], quoteDiscount: '100', expected: ['10.00', '10.00', '0.00', '0.00', '0.00'] },
  { name: '5.5 % tax rounded up (5.49945)', currency: 'EUR', lines: [[3, '33.33', '0', '5.5']], expected: ['99.99', '0.00', '99.99', '5.50', '105.49'] },
  { name: 'no tax', currency: 'EUR', lines: [[4, '12.34', '0', '0']], expected: ['49.36', '0.00', '49.36', '0.00', '49.36'] },
  { name: 'two lines at two rates', currency: 'EUR', lines: [[2, '10.00', '0', '19'], [1, '5.00', '0', '7']], expected: ['25.00', '0.00', '25.00', '4.15', '29.15'] },
  { name: 'tax rounded per line: three half cents make 0.03, not 0.02', currency: 'EUR', lines: [[1, '0.05', '0', '10'], [1, '0.05', '0', '10'], [1, '0.05', '0', '10']], expected: ['0.15', '0.00', '0.15', '0.03', '0.18'] },
  { name: 'a large amount × 1000 without float loss', currency: 'EUR', lines: [[1000, '999999999.99', '0', '20']], expected: ['999999999990.00', '0.00', '999999999990.00', '199999999998.00', '1199999999988.00'] },
  {
    name: 'beyond 2^53 minor units',
    currency: 'EUR',
    lines: [[1_000_000, '999999999999.99', '0', '19']],
    expected: ['999999999999990000.00', '0.00', '999999999999990000.00', '189999999999998100.00', '1189999999999988100.00'],
  },
  // CHF, USD
  { name: '7.7 % tax rounded up (9.50565)', currency: 'CHF', lines: [[1, '123.45', '0', '7.7']], expected: ['123.45', '0.00', '123.45', '9.51', '132.96'] },
  { name: 'a gross of exactly half a cent (14.985)', currency: 'USD', lines: [[1.5, '9.99', '0', '0']], expected: ['14.99', '0.00', '14.99', '0.00', '14.99'] },
  { name: '8.25 % tax (0.825825)', currency: 'USD', lines: [[7, '1.43', '0', '8.25']], expected: ['10.01', '0.00', '10.01', '0.83', '10.84'] },
  {
    name: 'two lines, two rates, a quote discount on a line with its own',
    currency: 'USD',
    lines: [[1, '100.00', '0', '10'], [2, '25.00', '20', '0']],
    quoteDiscount: '5',
    expected: ['150.00', '17.00', '133.00', '9.50', '142.50'],
  },
  // JPY, KRW: no decimals
  { name: 'yen at 10 %', currency: 'JPY', lines: [[3, '1500', '0', '10']], expected: ['4500', '0', '4500', '450', '4950'] },
  { name: 'yen tax rounded up (99.9)', currency: 'JPY', lines: [[1, '999', '0', '10']], expected: ['999', '0', '999', '100', '1099'] },
  { name: 'half a yen of discount rounds up, 0.4 yen of tax down', currency: 'JPY', lines: [[1, '5', '10', '10']], expected: ['5', '1', '4', '0', '4'] },
  { name: 'half a unit of a yen price (500.5)', currency: 'JPY', lines: [[0.5, '1001', '0', '8']], expected: ['501', '0', '501', '40', '541'] },
  { name: 'a 33.33 % quote discount in yen', currency: 'JPY', lines: [[3, '333', '0', '10']], quoteDiscount: '33.33', expected: ['999', '333', '666', '67', '733'] },
  { name: 'won at 10 %', currency: 'KRW', lines: [[2, '15750', '0', '10']], expected: ['31500', '0', '31500', '3150', '34650'] },
  { name: 'half a won of tax rounds up', currency: 'KRW', lines: [[1, '15', '0', '10']], expected: ['15', '0', '15', '2', '17'] },
  { name: 'won: 0.7 discount up, 1.3 tax down', currency: 'KRW', lines: [[1, '14', '5', '10']], expected: ['14', '1', '13', '1', '14'] },
  // BHD, KWD: three decimals
  { name: 'half a fils of tax rounds up (0.1005)', currency: 'BHD', lines: [[1, '1.005', '0', '10']], expected: ['1.005', '0.000', '1.005', '0.101', '1.106'] },
  { name: 'a gross of half a fils (0.8325)', currency: 'BHD', lines: [[2.5, '0.333', '0', '0']], expected: ['0.833', '0.000', '0.833', '0.000', '0.833'] },
  { name: 'stacked discounts in dinars, tax 0.3825', currency: 'BHD', lines: [[1, '10.000', '15', '5']], quoteDiscount: '10', expected: ['10.000', '2.350', '7.650', '0.383', '8.033'] },
  { name: 'an eighth of a dinar', currency: 'KWD', lines: [[3, '0.125', '0', '0']], expected: ['0.375', '0.000', '0.375', '0.000', '0.375'] },
  { name: '7.25 % of 1234.567 (89.5061075)', currency: 'KWD', lines: [[1, '1234.567', '0', '7.25']], expected: ['1234.567', '0.000', '1234.567', '89.506', '1324.073'] },
  { name: 'the largest price × 1000', currency: 'KWD', lines: [[1000, '999999999999.999', '0', '0']], expected: ['999999999999999.000', '0.000', '999999999999999.000', '0.000', '999999999999999.000'] },
  { name: 'no lines', currency: 'EUR', lines: [], quoteDiscount: '10', expected: ['0.00', '0.00', '0.00', '0.00', '0.00'] },
];

describe('quote totals', () => {
  it.each(CASES)('$currency: $name', (c) => {
    const view = quoteTotalsView(totalsOf(c));
    expect([view.subtotal, view.discountTotal, view.netTotal, view.taxTotal, view.grandTotal]).toEqual(c.expected);
  });

  it('has at least 30 hand-computed cases over 0, 2 and 3 decimal currencies', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.currency))).toEqual(new Set(['EUR', 'CHF', 'USD', 'JPY', 'KRW', 'BHD', 'KWD']));
  });

  it('always adds up: subtotal − discounts = net, net + tax = grand total', () => {
    for (const c of CASES) {
      const t = totalsOf(c);
      expect(t.subtotal - t.discountTotal).toBe(t.netTotal);
      expect(t.netTotal + t.taxTotal).toBe(t.grandTotal);
    }
  });

  it("shows each line's figures", () => {
    const view = quoteTotalsView(totalsOf({ currency: 'EUR', lines: [[1, '100.00', '12.5', '19']], quoteDiscount: '12.5' }));
    expect(view.lines).toEqual([{ gross: '100.00', lineDiscount: '12.50', quoteDiscount: '10.94', net: '76.56', tax: '14.55', total: '91.11' }]);
  });

  it('breaks tax down by rate, lowest first, with the per-line rounded tax', () => {
    const view = quoteTotalsView(
      totalsOf({ currency: 'USD', lines: [[1, '100.00', '0', '10'], [2, '25.00', '20', '0'], [1, '0.05', '0', '10']], quoteDiscount: '5' }),
    );
    // Line 3: 0.05 − quote share 0.0025 (rounds to 0.00) = 0.05 net; tax 0.005 -> 0.01.
    expect(view.taxes).toEqual([
      { ratePercent: '0', base: '38.00', tax: '0.00' },
      { ratePercent: '10', base: '95.05', tax: '9.51' },
    ]);
  });

  it('states its rounding rule', () => {
    expect(ROUNDING_RULE).toMatch(/per line, half away from zero/);
  });
});

describe('rounding half away from zero', () => {
  it.each([
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [-5n, 10n, -1n],
    [-4n, 10n, 0n],
    [-15n, 10n, -2n],
    [0n, 7n, 0n],
  ])('%s / %s = %s', (numerator, denominator, expected) => {
    expect(divideRounded(numerator, denominator)).toBe(expected);
  });
});

describe('the highest effective discount', () => {
  const line = (discount: string) => ({ discountPercent: parsePercent(discount) });

  it('stacks the quote discount on each line: 10 % and 10 % are 19 %', () => {
    expect(maxLineDiscountPercent([line('0'), line('10')], parsePercent('10'))).toBe(1900);
  });

  it('is exact, not rounded to a basis point: 12.5 % on 12.5 % is 23.4375 %', () => {
    expect(maxLineDiscountPercent([line('12.5')], parsePercent('12.5'))).toBe(2343.75);
  });

  it('tells 20.008 % from 20 % (10 % on 11.12 %)', () => {
    const effective = maxLineDiscountPercent([line('11.12')], parsePercent('10'));
    expect(effective).toBe(2000.8);
    expect(effective > 2000).toBe(true);
    expect(maxLineDiscountPercent([line('20')]) > 2000).toBe(false);
  });

  it('is the line discount alone without a quote discount, 100 % at most, 0 without lines', () => {
    expect(maxLineDiscountPercent([line('7.25'), line('3')])).toBe(725);
    expect(maxLineDiscountPercent([line('100')], parsePercent('50'))).toBe(10000);
    expect(maxLineDiscountPercent([])).toBe(0);
  });
});
