import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { AMOUNT_SHAPE, amountError, amountText, currencyCode, formatAmount, formatPercent, parseAmount, parsePercent, percent } from '../quotes/money';

/**
 * The product catalogue that quotes are priced from: a SKU, a name, prices in one or more
 * currencies (no conversion between them) and the tax rate its lines carry. Pure: schemas, rules,
 * views. SKUs are unique per tenant; the repository enforces that, since only it can see the others.
 */

const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const sku = z.string().check(z.regex(SKU_PATTERN, 'Expected a SKU: 1-64 letters, digits, ".", "_" or "-"'));

/**
 * An amount string checked against the currency it is keyed by, so `{ "EUR": "1.234" }` is a 400
 * naming `prices.EUR` ("EUR allows at most 2 decimals"). `null` (a patch removing the price) passes.
 */
const amountsFitTheirCurrency = z.superRefine<Record<string, string | null>>((prices, ctx) => {
  for (const [currency, amount] of Object.entries(prices)) {
    // A malformed amount already has its error from amountText.
    const message = amount === null || !AMOUNT_SHAPE.test(amount) ? undefined : amountError(amount, currency);
    if (message !== undefined) ctx.addIssue({ code: 'custom', path: [currency], input: amount, message });
  }
});

/** An unknown currency among the keys is named by its path (`prices.XYZ`), with what was expected. */
const currencyKeys = { error: (issue: { code?: string }) => (issue.code === 'unrecognized_keys' ? 'Expected a supported ISO 4217 currency code such as EUR' : undefined) };

const pricesInput = z.partialRecord(currencyCode, amountText, currencyKeys).check(
  // An unknown currency is dropped from the output, and already has its error: not also "no price".
  z.refine((prices) => Object.keys(prices).length > 0, { message: 'Give at least one price, such as { "EUR": "100.00" }', when: (payload) => payload.issues.length === 0 }),
  amountsFitTheirCurrency,
);

/** A customer level as customers carry it (`level`, up to 16 characters: gold, a, key-account...). */
const level = z.string().check(z.trim(), z.minLength(1), z.maxLength(16));
export const MAX_PRICE_LEVELS = 20;

/**
 * Price lists per customer level: level -> currency -> amount. A quote or an order for a customer
 * of that level is priced from it in its currency, from `prices` otherwise.
 */
const levelPricesInput = z.record(level, pricesInput).check(z.refine((levels) => Object.keys(levels).length <= MAX_PRICE_LEVELS, { message: `At most ${MAX_PRICE_LEVELS} levels` }));

/** Request body of POST /products. */
export const createProductInput = z.strictObject({
  sku,
  name: text(200),
  category: z.optional(text(100)),
  /** Currency -> amount, e.g. { "EUR": "100.00", "JPY": "15000" }. */
  prices: pricesInput,
  /** Prices per customer level, e.g. { "gold": { "EUR": "90.00" } }. */
  levelPrices: z.optional(levelPricesInput),
  /** The tax rate of the product's quote lines, e.g. "19" or "7.7". */
  taxRatePercent: z._default(percent, '0'),
  active: z._default(z.boolean(), true),
});
export type CreateProductInput = z.output<typeof createProductInput>;

/**
 * PATCH /products/{id}: a merge patch (with If-Match). `category: null` clears it; `prices` is
 * merged per currency, `null` removing that currency's price; at least one price must remain.
 */
export const productPatch = z
  .strictObject({
    sku: z.optional(sku),
    name: z.optional(text(200)),
    category: z.optional(z.nullable(text(100))),
    prices: z.optional(z.partialRecord(currencyCode, z.nullable(amountText), currencyKeys).check(amountsFitTheirCurrency)),
    /** Per level: its whole price list replaced, or `null` to remove the level. */
    levelPrices: z.optional(z.record(level, z.nullable(pricesInput))),
    taxRatePercent: z.optional(percent),
    active: z.optional(z.boolean()),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'Name at least one field to change', path: ['name'] }));
export type ProductPatch = z.output<typeof productPatch>;

export interface Product {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  /** Currency -> price in the currency's minor units (money.ts). */
  prices: Record<string, number>;
  /** Customer level -> currency -> minor units. Absent on products stored before price lists: none. */
  levelPrices?: Record<string, Record<string, number>>;
  /** Basis points (19 % -> 1900). */
  taxRatePercent: number;
  /** An inactive product stays on the quotes that have it, but no new line can name it. */
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const minorPrices = (prices: Record<string, string>, path = 'prices') =>
  Object.fromEntries(Object.entries(prices).map(([currency, amount]) => [currency, parseAmount(amount, currency, `${path}.${currency}`)]));

const minorLevelPrices = (levels: Record<string, Record<string, string>>) =>
  Object.fromEntries(Object.entries(levels).map(([name, prices]) => [name, minorPrices(prices, `levelPrices.${name}`)]));

export function newProduct(input: CreateProductInput, id: string, nowIso: string): Product {
  return {
    id,
    sku: input.sku,
    name: input.name,
    category: input.category ?? null,
    prices: minorPrices(input.prices),
    levelPrices: minorLevelPrices(input.levelPrices ?? {}),
    taxRatePercent: parsePercent(input.taxRatePercent, 'taxRatePercent'),
    active: input.active,
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
}

/** The product after a merge patch; removing its last price is a 400 naming `prices`. */
export function patchedProduct(product: Product, patch: ProductPatch, nowIso: string): Product {
  const prices = { ...product.prices };
  for (const [currency, amount] of Object.entries(patch.prices ?? {})) {
    if (amount === null) delete prices[currency];
    else prices[currency] = parseAmount(amount, currency, `prices.${currency}`);
  }
  if (Object.keys(prices).length === 0) throw new ValidationFailed([{ path: 'prices', message: 'A product keeps at least one price' }]);
  const levelPrices = { ...product.levelPrices };
  for (const [name, list] of Object.entries(patch.levelPrices ?? {})) {
    if (list === null) delete levelPrices[name];
    else levelPrices[name] = minorPrices(list, `levelPrices.${name}`);
  }
  if (Object.keys(levelPrices).length > MAX_PRICE_LEVELS) throw new ValidationFailed([{ path: 'levelPrices', message: `At most ${MAX_PRICE_LEVELS} levels` }]);
  return {
    ...product,
    sku: patch.sku ?? product.sku,
    name: patch.name ?? product.name,
    category: patch.category === undefined ? product.category : patch.category,
    prices,
    levelPrices,
    taxRatePercent: patch.taxRatePercent === undefined ? product.taxRatePercent : parsePercent(patch.taxRatePercent, 'taxRatePercent'),
    active: patch.active ?? product.active,
    version: product.version + 1,
    updatedAt: nowIso,
  };
}

/** The product's price in a currency, in minor units; undefined when it has none there. */
export const priceIn = (product: Pick<Product, 'prices'>, currency: string): number | undefined =>
  Object.hasOwn(product.prices, currency) ? product.prices[currency] : undefined;

/** The price a customer of `level` gets in a currency: their level's, when the product lists one there. */
export function levelPriceIn(product: Pick<Product, 'levelPrices'>, level: string | null, currency: string): number | undefined {
  const list = level === null ? undefined : product.levelPrices?.[level];
  return list && Object.hasOwn(list, currency) ? list[currency] : undefined;
}

const formatPrices = (prices: Record<string, number>) =>
  Object.fromEntries(
    Object.keys(prices)
      .sort()
      .map((currency) => [currency, formatAmount(prices[currency]!, currency)]),
  );

export function productView(product: Product) {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    prices: formatPrices(product.prices),
    levelPrices: Object.fromEntries(Object.entries(product.levelPrices ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => [name, formatPrices(list)])),
    taxRatePercent: formatPercent(product.taxRatePercent),
    active: product.active,
    version: product.version,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}
