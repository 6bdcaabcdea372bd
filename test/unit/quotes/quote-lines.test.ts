import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors';
import { fieldErrors } from '../../../shared/field-errors';
import type { Product } from '../../../shared/products/product';
import { priceLines, quoteLinesInput } from '../../../shared/quotes/quote-lines';
import { validationPaths } from '../validation-paths';

const HOUR = '01JD0000000000000000000001';
const LICENSE = '01JD0000000000000000000002';
const RETIRED = '01JD0000000000000000000003';
const UNKNOWN = '01JD0000000000000000000009';

const product = (id: string, over: Partial<Product>): Product => ({
  id,
  sku: 'SKU',
  name: 'Name',
  category: null,
  prices: {},
  taxRatePercent: 0,
  active: true,
  version: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

const catalogue = [
  product(HOUR, { sku: 'CONS-HOUR', name: 'Consulting hour', category: 'Services', prices: { EUR: 12000, JPY: 15000 }, taxRatePercent: 1900 }),
  product(LICENSE, { sku: 'LIC', name: 'Licence', prices: { USD: 9900 }, taxRatePercent: 700 }),
  product(RETIRED, { sku: 'OLD', name: 'Old thing', prices: { EUR: 100 }, active: false }),
];

/** The field errors priceLines raises, with their messages. */
const failures = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('expected a ValidationFailed');
};

describe('quote lines in a request', () => {
  it('takes 1 to 200 lines of a product id, a quantity, and optionally a price and a discount', () => {
    expect(quoteLinesInput.safeParse([{ productId: HOUR, quantity: 2.5, unitPrice: '100.00', discountPercent: '10' }]).success).toBe(true);
    expect(quoteLinesInput.safeParse(Array.from({ length: 200 }, () => ({ productId: HOUR, quantity: 1 }))).success).toBe(true);
    expect(quoteLinesInput.safeParse(Array.from({ length: 201 }, () => ({ productId: HOUR, quantity: 1 }))).success).toBe(false);
    expect(quoteLinesInput.safeParse([]).success).toBe(false);
  });

  it('names each bad field by its line', () => {
    const result = quoteLinesInput.safeParse([
      { productId: 'nope', quantity: 1 },
      { productId: HOUR, quantity: 0 },
      { productId: HOUR, quantity: 1.0005, discountPercent: '101' },
      { productId: HOUR, quantity: 1, price: '1' },
      { productId: HOUR, quantity: 1, unitPrice: '-5' },
    ]);
    expect(result.success ? [] : fieldErrors(result.error).map((e) => e.path)).toEqual([
      '0.productId',
      '1.quantity',
      '2.quantity',
      '2.discountPercent',
      '3.price',
      '4.unitPrice',
    ]);
  });
});

describe('pricing lines', () => {
  it("takes the product's price in the quote's currency and copies what was quoted onto the line", () => {
    expect(priceLines([{ productId: HOUR, quantity: 2.5, discountPercent: '12.5' }], catalogue, 'EUR')).toEqual([
      {
        productId: HOUR,
        sku: 'CONS-HOUR',
        name: 'Consulting hour',
        category: 'Services',
        quantity: 2500,
        unitPrice: 12000,
        listUnitPrice: 12000,
        priceLevel: null,
        discountPercent: 1250,
        taxRatePercent: 1900,
      },
    ]);
  });

  it('uses a given unit price over the list price, in the currency’s own minor unit', () => {
    const [line] = priceLines([{ productId: HOUR, quantity: 1, unitPrice: '14000' }], catalogue, 'JPY');
    expect(line).toMatchObject({ unitPrice: 14000, listUnitPrice: 15000, discountPercent: 0 });
  });

  it('prices a product without a price in the currency when the line gives one', () => {
    const [line] = priceLines([{ productId: LICENSE, quantity: 3, unitPrice: '1.250' }], catalogue, 'BHD');
    expect(line).toMatchObject({ unitPrice: 1250, listUnitPrice: null, taxRatePercent: 700 });
  });

  it('refuses an unknown product, an inactive one, a missing price and a price with too many decimals, all at once', () => {
    const lines = [
      { productId: UNKNOWN, quantity: 1 },
      { productId: RETIRED, quantity: 1 },
      { productId: LICENSE, quantity: 1 },
      { productId: HOUR, quantity: 1, unitPrice: '10.001' },
      { productId: HOUR, quantity: 1 },
    ];
    expect(failures(() => priceLines(lines, catalogue, 'EUR'))).toEqual([
      { path: 'lines.0.productId', message: `No product ${UNKNOWN}` },
      { path: 'lines.1.productId', message: 'Product OLD is inactive' },
      { path: 'lines.2.unitPrice', message: 'Product LIC has no price in EUR; give a unitPrice' },
      { path: 'lines.3.unitPrice', message: 'EUR allows at most 2 decimals' },
    ]);
  });

  it('checks a given price even on a line whose product is unknown', () => {
    expect(validationPaths(() => priceLines([{ productId: UNKNOWN, quantity: 1, unitPrice: '1.5' }], catalogue, 'JPY'))).toEqual([
      'lines.0.productId',
      'lines.0.unitPrice',
    ]);
  });

  it('checks quantities and discounts again when handed lines that skipped the schema', () => {
    expect(validationPaths(() => priceLines([{ productId: HOUR, quantity: -1, discountPercent: '200' }], catalogue, 'EUR'))).toEqual([
      'lines.0.quantity',
      'lines.0.discountPercent',
    ]);
  });

  it('refuses an unsupported currency as a whole', () => {
    expect(validationPaths(() => priceLines([{ productId: HOUR, quantity: 1 }], catalogue, 'XYZ'))).toEqual(['currency']);
  });

  it("prices a customer's lines from their level's price list where the product has one in the currency", () => {
    const listed = [product(HOUR, { sku: 'CONS-HOUR', prices: { EUR: 12000, JPY: 15000 }, levelPrices: { gold: { EUR: 10000 } } })];
    const [gold] = priceLines([{ productId: HOUR, quantity: 1 }], listed, 'EUR', 'gold');
    expect(gold).toMatchObject({ unitPrice: 10000, listUnitPrice: 10000, priceLevel: 'gold' });
    // No gold price in JPY, no list for bronze, no level: the product's own price.
    expect(priceLines([{ productId: HOUR, quantity: 1 }], listed, 'JPY', 'gold')[0]).toMatchObject({ unitPrice: 15000, priceLevel: null });
    expect(priceLines([{ productId: HOUR, quantity: 1 }], listed, 'EUR', 'bronze')[0]).toMatchObject({ unitPrice: 12000, priceLevel: null });
    expect(priceLines([{ productId: HOUR, quantity: 1 }], listed, 'EUR')[0]).toMatchObject({ unitPrice: 12000, priceLevel: null });
    // A unitPrice given still wins; the level's price is what it overrides.
    expect(priceLines([{ productId: HOUR, quantity: 1, unitPrice: '99.00' }], listed, 'EUR', 'gold')[0]).toMatchObject({ unitPrice: 9900, listUnitPrice: 10000, priceLevel: 'gold' });
  });
});
