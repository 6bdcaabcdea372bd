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

/** Request body of POST /products. */
export const createProductInput = z.strictObject({
  sku,
  name: text(200),
  category: z.optional(text(100)),
  /** Currency -> amount, e.g. { "EUR": "100.00", "JPY": "15000" }. */
  prices: pricesInput,
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
  /** Basis points (19 % -> 1900). */
  taxRatePercent: number;
  /** An inactive product stays on the quotes that have it, but no new line can name it. */
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const minorPrices = (prices: Record<string, string>) =>
  Object.fromEntries(Object.entries(prices).map(([currency, amount]) => [currency, parseAmount(amount, currency, `prices.${currency}`)]));

export function newProduct(input: CreateProductInput, id: string, nowIso: string): Product {
  return {
    id,
    sku: input.sku,
    name: input.name,
    category: input.category ?? null,
    prices: minorPrices(input.prices),
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
  return {
    ...product,
    sku: patch.sku ?? product.sku,
    name: patch.name ?? product.name,
    category: patch.category === undefined ? product.category : patch.category,
    prices,
    taxRatePercent: patch.taxRatePercent === undefined ? product.taxRatePercent : parsePercent(patch.taxRatePercent, 'taxRatePercent'),
    active: patch.active ?? product.active,
    version: product.version + 1,
    updatedAt: nowIso,
  };
}

/** The product's price in a currency, in minor units; undefined when it has none there. */
export const priceIn = (product: Pick<Product, 'prices'>, currency: string): number | undefined =>
  Object.hasOwn(product.prices, currency) ? product.prices[currency] : undefined;

export function productView(product: Product) {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    category: product.category,
    prices: Object.fromEntries(
      Object.keys(product.prices)
        .sort()
        .map((currency) => [currency, formatAmount(product.prices[currency]!, currency)]),
    ),
    taxRatePercent: formatPercent(product.taxRatePercent),
    active: product.active,
    version: product.version,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}
