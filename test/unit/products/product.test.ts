import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../../shared/field-errors';
import { createProductInput, newProduct, patchedProduct, priceIn, productPatch, productView } from '../../../shared/products/product';
import { validationPaths } from '../validation-paths';

const NOW = '2026-12-07T10:00:00.000Z';
const LATER = '2026-12-08T10:00:00.000Z';
const body = { sku: 'CONS-HOUR', name: 'Consulting hour', prices: { EUR: '120.00', JPY: '15000', BHD: '50.5' }, taxRatePercent: '19' };

/** The field errors a schema reports for a body, as the HTTP layer would name them. */
const errorsOf = (result: { success: boolean; error?: Parameters<typeof fieldErrors>[0] }) => (result.success ? [] : fieldErrors(result.error!));

const created = () => newProduct(createProductInput.parse(body), 'P1', NOW);

describe('a new product', () => {
  it('keeps prices in each currency’s minor units and the tax rate in basis points, active, version 1', () => {
    expect(created()).toEqual({
      id: 'P1',
      sku: 'CONS-HOUR',
      name: 'Consulting hour',
      category: null,
      prices: { EUR: 12000, JPY: 15000, BHD: 50500 },
      levelPrices: {},
      taxRatePercent: 1900,
      active: true,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('has no tax and is active unless told otherwise', () => {
    const product = newProduct(createProductInput.parse({ sku: 'A', name: 'A', prices: { USD: '1' } }), 'P2', NOW);
    expect(product).toMatchObject({ taxRatePercent: 0, active: true, prices: { USD: 100 } });
  });

  it('names the price whose decimals do not fit its currency', () => {
    expect(errorsOf(createProductInput.safeParse({ ...body, prices: { EUR: '1.234', JPY: '1.5', BHD: '1.000' } }))).toEqual([
      { path: 'prices.EUR', message: 'EUR allows at most 2 decimals' },
      { path: 'prices.JPY', message: 'JPY allows no decimals' },
    ]);
  });

  it('refuses an unknown currency, a malformed amount and no prices at all', () => {
    expect(errorsOf(createProductInput.safeParse({ ...body, prices: { XYZ: '1.00' } }))).toEqual([{ path: 'prices.XYZ', message: 'Expected a supported ISO 4217 currency code such as EUR' }]);
    expect(errorsOf(productPatch.safeParse({ prices: { eur: null } }))).toEqual([{ path: 'prices.eur', message: 'Expected a supported ISO 4217 currency code such as EUR' }]);
    expect(errorsOf(createProductInput.safeParse({ ...body, prices: { EUR: '-1.00' } }))).toEqual([{ path: 'prices.EUR', message: expect.stringMatching(/^Expected an amount such as "100.00"/) }]);
    expect(errorsOf(createProductInput.safeParse({ ...body, prices: { EUR: 1 } })).map((e) => e.path)).toEqual(['prices.EUR']);
    expect(errorsOf(createProductInput.safeParse({ ...body, prices: {} })).map((e) => e.path)).toEqual(['prices']);
  });

  it.each([
    [{ sku: '' }, 'sku'],
    [{ sku: 'has space' }, 'sku'],
    [{ sku: 'x'.repeat(65) }, 'sku'],
    [{ name: '  ' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ category: 'x'.repeat(101) }, 'category'],
    [{ taxRatePercent: '120' }, 'taxRatePercent'],
    [{ taxRatePercent: 19 }, 'taxRatePercent'],
    [{ active: 'yes' }, 'active'],
    [{ price: '1.00' }, 'price'],
  ])('refuses %j, naming %s', (change, path) => {
    expect(errorsOf(createProductInput.safeParse({ ...body, ...change })).map((e) => e.path)).toEqual([path]);
  });

  it('accepts SKUs of letters, digits, dots, dashes and underscores up to 64', () => {
    for (const sku of ['a', 'SKU-1_2.3', 'x'.repeat(64)]) expect(createProductInput.safeParse({ ...body, sku }).success).toBe(true);
  });
});

describe('changing a product', () => {
  it('merges prices per currency: a new amount replaces, null removes, others stay', () => {
    const patch = productPatch.parse({ prices: { EUR: '99.90', JPY: null, KWD: '1.250' } });
    const product = patchedProduct(created(), patch, LATER);
    expect(product.prices).toEqual({ EUR: 9990, BHD: 50500, KWD: 1250 });
    expect(product).toMatchObject({ version: 2, updatedAt: LATER, createdAt: NOW, name: 'Consulting hour' });
  });

  it('changes the SKU, name, tax rate and active flag, and clears the category with null', () => {
    const withCategory = { ...created(), category: 'Services' };
    const product = patchedProduct(withCategory, productPatch.parse({ sku: 'CONS-2', name: 'Senior hour', taxRatePercent: '7.7', active: false, category: null }), LATER);
    expect(product).toMatchObject({ sku: 'CONS-2', name: 'Senior hour', taxRatePercent: 770, active: false, category: null });
    expect(patchedProduct(withCategory, productPatch.parse({ name: 'x' }), LATER).category).toBe('Services');
  });

  it('must keep at least one price', () => {
    const patch = productPatch.parse({ prices: { EUR: null, JPY: null, BHD: null } });
    expect(validationPaths(() => patchedProduct(created(), patch, LATER))).toEqual(['prices']);
  });

  it('checks patched amounts against their currency, and refuses an empty patch', () => {
    expect(errorsOf(productPatch.safeParse({ prices: { BHD: '1.0001' } }))).toEqual([{ path: 'prices.BHD', message: 'BHD allows at most 3 decimals' }]);
    expect(errorsOf(productPatch.safeParse({})).map((e) => e.path)).toEqual(['name']);
    expect(errorsOf(productPatch.safeParse({ id: 'P9' })).map((e) => e.path)).toContain('id');
  });
});

describe('reading a product', () => {
  it('shows prices as strings in their currency, sorted, and the tax rate as a percent string', () => {
    expect(productView(created())).toMatchObject({ prices: { BHD: '50.500', EUR: '120.00', JPY: '15000' }, taxRatePercent: '19', category: null });
    expect(Object.keys(productView(created()).prices)).toEqual(['BHD', 'EUR', 'JPY']);
  });

  it('has a price in a currency or none', () => {
    expect(priceIn(created(), 'JPY')).toBe(15000);
    expect(priceIn(created(), 'USD')).toBeUndefined();
    expect(priceIn(created(), 'constructor')).toBeUndefined();
  });
});

describe('price lists per customer level', () => {
  it('are kept per level in minor units, checked against each currency by path, replaced or removed per level', () => {
    const product = newProduct(createProductInput.parse({ ...body, levelPrices: { gold: { EUR: '100.00' }, silver: { EUR: '110.00', JPY: '14000' } } }), 'P1', NOW);
    expect(product.levelPrices).toEqual({ gold: { EUR: 10000 }, silver: { EUR: 11000, JPY: 14000 } });
    expect(errorsOf(createProductInput.safeParse({ ...body, levelPrices: { gold: { EUR: '1.001', JPY: '1.5' } } })).map((e) => e.path).sort()).toEqual(['levelPrices.gold.EUR', 'levelPrices.gold.JPY']);
    const patched = patchedProduct(product, productPatch.parse({ levelPrices: { gold: { EUR: '95.00' }, silver: null } }), LATER);
    expect(patched.levelPrices).toEqual({ gold: { EUR: 9500 } });
    expect(productView(patched).levelPrices).toEqual({ gold: { EUR: '95.00' } });
  });
});
