import * as z from 'zod/mini';
import { type FieldError, ValidationFailed } from '../errors';
import { ULID_PATTERN } from '../id-formats';
import { levelPriceIn, priceIn, type Product } from '../products/product';
import { amountError, amountText, currencyDecimals, parseAmount, parsePercent, parseQuantity, percent, percentError, quantity, quantityError } from './money';
import type { TotalsLine } from './quote-totals';

/**
 * The lines of a quote as a client sends them, and how they are priced from the catalogue. Pure:
 * the caller loads the products the lines name and passes them in.
 */

export const MAX_QUOTE_LINES = 200;

const productId = z.string().check(z.regex(ULID_PATTERN, 'Expected a product id such as 01JD5X8Q2V3M4N5P6R7S8T9VWX'));

export const quoteLineInput = z.strictObject({
  productId,
  /** A JSON number, up to 3 decimals (2.5 hours). */
  quantity,
  /**
   * A price other than the product's in the quote's currency, as an amount string; checked
   * against the currency when the lines are priced, as the currency is the quote's, not the line's.
   */
  unitPrice: z.optional(amountText),
  discountPercent: z.optional(percent),
});
export type QuoteLineInput = z.output<typeof quoteLineInput>;

export const quoteLinesInput = z
  .array(quoteLineInput)
  .check(z.minLength(1, 'A quote needs at least one line'), z.maxLength(MAX_QUOTE_LINES, `At most ${MAX_QUOTE_LINES} lines`));

/**
 * A line as quoted. What it took from the product (SKU, name, category, tax rate) is copied onto
 * it, so the quote keeps saying what was offered after the product changes or is deactivated.
 */
export interface PricedLine extends TotalsLine {
  productId: string;
  sku: string;
  name: string;
  category: string | null;
  /** The price the line was priced from (its level's, else the product's own) in the quote's currency, null if it had none: shows an overridden price. */
  listUnitPrice: number | null;
  /** The customer level whose price list gave `listUnitPrice`; null or absent: the product's own price. */
  priceLevel?: string | null;
}

/**
 * Each line priced against its product in `currency`. Every problem of every line is collected
 * into one 400 (`lines.<i>.productId`, `lines.<i>.unitPrice`...), so a client fixes them all at once.
 */
export function priceLines(lines: readonly QuoteLineInput[], products: readonly Product[], currency: string, customerLevel: string | null = null): PricedLine[] {
  if (currencyDecimals(currency) === undefined) {
    throw new ValidationFailed([{ path: 'currency', message: `${currency} is not a supported currency` }]);
  }
  const byId = new Map(products.map((product) => [product.id, product]));
  const errors: FieldError[] = [];
  const priced = lines.flatMap((line, index): PricedLine[] => {
    const at = (field: string, message: string) => errors.push({ path: `lines.${index}.${field}`, message });
    const product = byId.get(line.productId);
    if (!product) at('productId', `No product ${line.productId}`);
    else if (!product.active) at('productId', `Product ${product.sku} is inactive`);
    const quantityProblem = quantityError(line.quantity);
    if (quantityProblem !== undefined) at('quantity', quantityProblem);
    const discountProblem = line.discountPercent === undefined ? undefined : percentError(line.discountPercent);
    if (discountProblem !== undefined) at('discountPercent', discountProblem);
    // A customer of a level the product lists a price for in this currency is quoted that price.
    const levelPrice = product ? levelPriceIn(product, customerLevel, currency) : undefined;
    const listUnitPrice = product ? (levelPrice ?? priceIn(product, currency)) : undefined;
    const priceProblem =
      line.unitPrice !== undefined
        ? amountError(line.unitPrice, currency)
        : product && listUnitPrice === undefined
          ? `Product ${product.sku} has no price in ${currency}; give a unitPrice`
          : undefined;
    if (priceProblem !== undefined) at('unitPrice', priceProblem);
    if (!product || errors.length > 0) return [];
    return [
      {
        productId: product.id,
        sku: product.sku,
        name: product.name,
        category: product.category,
        quantity: parseQuantity(line.quantity),
        unitPrice: line.unitPrice !== undefined ? parseAmount(line.unitPrice, currency) : listUnitPrice!,
        listUnitPrice: listUnitPrice ?? null,
        priceLevel: levelPrice === undefined ? null : customerLevel,
        discountPercent: line.discountPercent === undefined ? 0 : parsePercent(line.discountPercent),
        taxRatePercent: product.taxRatePercent,
      },
    ];
  });
  if (errors.length > 0) throw new ValidationFailed(errors);
  return priced;
}
