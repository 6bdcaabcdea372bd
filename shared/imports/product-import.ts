import { fieldErrors } from '../field-errors';
import { restoreCell } from '../files/formula-cells';
import { derivedId } from '../ids';
import { keys } from '../keys';
import { type CreateProductInput, createProductInput, newProduct, type Product, type ProductPatch, patchedProduct, productView } from '../products/product';
import type { ProductRepository } from '../products/product-repository';
import type { GuardHolderRepository } from './guard-holder-repository';
import type { ImportJob } from './import-job';
import { type ColumnTarget, dryRunOutcome, duplicateAsAsked, type EntityImport, mappedTargets, type PreparedRow, type RowCheck, type RowContext, type RowResult, wavesBy, yesNo } from './import-rows';

/**
 * Products, the catalogue quotes are priced from (docs/integrations.md, "Products"): `sku`,
 * `name`, `category`, `taxRatePercent`, `active` (yes/no), a price per currency as
 * `prices.<CUR>` (`prices.EUR` = `100.00`) and per customer level as `levelPrices.<level>.<CUR>`.
 * A SKU the catalogue (or an earlier row) has is a duplicate: skipped, reported, or the row's
 * values over that product's (prices merged per currency), as `PATCH /products/{id}` would.
 * Written through the products repository as `POST /products` writes them (the SKU claimed in the
 * same transaction), with an id derived from the row. Admins only, as the catalogue is.
 */

const SCALAR = ['sku', 'name', 'category', 'taxRatePercent', 'active'] as const;
const CURRENCY = /^[A-Z]{3}$/;
const LEVEL = /^[^.]{1,16}$/;

export interface ProductRow {
  input: CreateProductInput;
  given: (keyof CreateProductInput)[];
}

export interface ProductRowDeps {
  products: Pick<ProductRepository, 'get' | 'save'>;
  guardHolders: Pick<GuardHolderRepository, 'holders'>;
}

function known(field: string): boolean {
  if ((SCALAR as readonly string[]).includes(field)) return true;
  const parts = field.split('.');
  if (parts[0] === 'prices') return parts.length === 2 && CURRENCY.test(parts[1]!);
  if (parts[0] === 'levelPrices') return parts.length === 3 && LEVEL.test(parts[1]!) && CURRENCY.test(parts[2]!);
  return false;
}

const productColumnTargets = (header: readonly string[], mapping: Readonly<Record<string, string>> | null) =>
  mappedTargets(header, mapping, {
    known,
    fieldsHint: `${SCALAR.join(', ')}, prices.<currency>, levelPrices.<level>.<currency>`,
    required: [
      { anyOf: ['sku'], message: 'No column feeds sku, which every product has' },
      { anyOf: ['name'], message: 'No column feeds name, which every product has' },
      { anyOf: ['prices'], message: 'No column feeds a price (prices.<currency>)' },
    ],
  });


function productRow(cells: readonly string[], header: readonly string[], targets: readonly ColumnTarget[]): RowCheck<ProductRow> {
  const body: Record<string, unknown> = {};
  const prices: Record<string, string> = {};
  const levelPrices: Record<string, Record<string, string>> = {};
  const columnOfField = new Map<string, string>();
  const errors: { column: string; message: string }[] = [];
  targets.forEach((field, index) => {
    if (field === null) return;
    const column = header[index] ?? `column ${index + 1}`;
    const cell = restoreCell((cells[index] ?? '').trim());
    columnOfField.set(field, column);
    if (cell === '') return;
    const parts = field.split('.');
    if (parts[0] === 'prices') prices[parts[1]!] = cell;
    else if (parts[0] === 'levelPrices') (levelPrices[parts[1]!] ??= {})[parts[2]!] = cell;
    else if (field === 'active') {
      const active = yesNo(cell);
      if (active !== undefined) body.active = active;
      else errors.push({ column, message: `Expected yes or no, not "${cell.slice(0, 40)}"` });
    } else body[field] = cell;
  });
  if (Object.keys(prices).length > 0) body.prices = prices;
  if (Object.keys(levelPrices).length > 0) body.levelPrices = levelPrices;
  const given = Object.keys(body) as (keyof CreateProductInput)[];
  const parsed = createProductInput.safeParse(body);
  if (!parsed.success) for (const e of fieldErrors(parsed.error)) errors.push({ column: columnOfField.get(e.path) ?? columnOfField.get(e.path.split('.')[0] ?? '') ?? e.path, message: e.message });
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, row: { input: parsed.data, given } };
}

type Row = PreparedRow<ProductRow>;

const skuKey = (row: ProductRow) => row.input.sku.toUpperCase();

/** Attempts at an update that lost a race with another edit of the same product. */
const UPDATE_ATTEMPTS = 3;


async function update(deps: ProductRowDeps, context: RowContext, row: Row, productId: string): Promise<RowResult> {
  // The SKU matched the product: it stays as the catalogue writes it.
  const patch = Object.fromEntries(row.given.filter((field) => field !== 'sku').map((field) => [field, row.input[field]])) as ProductPatch;
  for (let attempt = 1; ; attempt++) {
    const current: Product | undefined = await deps.products.get(context.job.tenantId, productId);
    if (!current) return duplicateAsAsked({ ...context.job, options: { ...context.job.options, onDuplicate: 'report' } }, row, `product ${productId} is gone`, productId);
    const next = patchedProduct(current, patch, context.nowIso);
    const saved = await deps.products.save(context.job.tenantId, next, current);
    if (saved.outcome === 'written') return { outcome: 'updated' };
    if (saved.outcome === 'sku-taken' || attempt >= UPDATE_ATTEMPTS) return duplicateAsAsked({ ...context.job, options: { ...context.job.options, onDuplicate: 'report' } }, row, `product ${productId} changed meanwhile: import the row again`, productId);
  }
}

async function writeProductRow(deps: ProductRowDeps, context: RowContext, row: Row): Promise<RowResult> {
  const { job, nowIso } = context;
  const id = derivedId(job.id, 'product', row.row);
  const saved = await deps.products.save(job.tenantId, newProduct(row.input, id, nowIso));
  // The SKU held by this row's own product: an earlier attempt wrote it.
  if (saved.outcome === 'written' || (saved.outcome === 'sku-taken' && saved.productId === id)) return { outcome: 'created', ownerId: null };
  const existingId = saved.outcome === 'sku-taken' ? (saved.productId ?? '') : '';
  if (job.options.onDuplicate === 'update' && existingId) return update(deps, context, row, existingId);
  return duplicateAsAsked(job, row, `product ${existingId} has the SKU ${row.input.sku}`, existingId);
}

async function wouldBeProductDuplicates(deps: ProductRowDeps, job: ImportJob, rows: readonly Row[]): Promise<RowResult[]> {
  const holders = await deps.guardHolders.holders(rows.map(skuKey), (sku) => keys.productSku(job.tenantId, sku), 'productId');
  const earlier = new Map<string, number>();
  return rows.map((row) => {
    const held = holders.get(skuKey(row));
    const inFile = earlier.get(skuKey(row));
    if (inFile === undefined) earlier.set(skuKey(row), row.row);
    const why = held ? `product ${held} has the SKU ${row.input.sku}` : inFile !== undefined ? `the SKU is also on row ${inFile} of the file` : undefined;
    return dryRunOutcome(job, row, why === undefined ? undefined : { why, existingId: held ?? '' });
  });
}

export const productImport: EntityImport<ProductRow, ProductRowDeps> = {
  targets: (header, mapping) => productColumnTargets(header, mapping),
  check: (cells, header, targets) => productRow(cells, header, targets),
  waves: (rows) => wavesBy(rows, (row) => [skuKey(row)]),
  write: writeProductRow,
  dryRun: wouldBeProductDuplicates,
};

/**
 * The columns an export of these products writes: the fixed ones, then a price column per currency
 * and per level and currency any of them has (sorted), the names this import reads back.
 */
export function productColumns(products: readonly Product[]): string[] {
  const prices = new Set<string>();
  const levelPrices = new Set<string>();
  for (const product of products) {
    const view = productView(product);
    for (const currency of Object.keys(view.prices)) prices.add(`prices.${currency}`);
    for (const [level, list] of Object.entries(view.levelPrices)) for (const currency of Object.keys(list)) levelPrices.add(`levelPrices.${level}.${currency}`);
  }
  return ['sku', 'name', 'category', 'taxRatePercent', 'active', ...[...prices].sort(), ...[...levelPrices].sort()];
}

/** A product as the cells of `columns` (amounts as the API writes them, `active` as yes/no). */
export function productCells(product: Product, columns: readonly string[]): string[] {
  const view = productView(product);
  return columns.map((column) => {
    const [head, a, b] = column.split('.');
    if (head === 'prices') return view.prices[a!] ?? '';
    if (head === 'levelPrices') return view.levelPrices[a!]?.[b!] ?? '';
    if (column === 'active') return view.active ? 'yes' : 'no';
    const value = view[column as 'sku' | 'name' | 'category' | 'taxRatePercent'];
    return value ?? '';
  });
}
