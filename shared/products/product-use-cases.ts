import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { clock } from '../clock';
import { Forbidden, StaleVersion } from '../errors';
import { newId } from '../ids';
import { type CreateProductInput, newProduct, patchedProduct, type Product, type ProductPatch } from './product';
import { DuplicateSku, ProductNotFound } from './product-errors';
import type { ProductRepository, ProductWriteOutcome } from './product-repository';

export interface ProductDeps {
  products: ProductRepository;
}

export const PRODUCT_PAGE_SIZE = { default: 50, max: 100 } as const;

/** The catalog is the admins' to keep; everyone who quotes reads it. */
function assertCatalogAdmin(caller: Caller): void {
  if (!isAdmin(caller)) throw new Forbidden('Only admins change the product catalog');
}

function settle(outcome: ProductWriteOutcome, product: Product, currentVersion: () => Promise<number>): Promise<Product> | Product {
  if (outcome.outcome === 'written') return product;
  if (outcome.outcome === 'sku-taken') throw new DuplicateSku(product.sku, outcome.productId);
  return currentVersion().then((v) => {
    throw new StaleVersion('product', v);
  });
}

export async function createProduct(deps: ProductDeps, caller: Caller, input: CreateProductInput): Promise<Product> {
  assertCatalogAdmin(caller);
  const product = newProduct(input, newId(), clock.nowIso());
  return settle(await deps.products.save(caller.tenantId, product), product, async () => 0);
}

export async function getProduct(deps: ProductDeps, caller: Caller, productId: string): Promise<Product> {
  const product = await deps.products.get(caller.tenantId, productId);
  if (!product) throw new ProductNotFound(productId);
  return product;
}

export async function listProducts(deps: ProductDeps, caller: Caller, query: { limit?: number; cursor?: string }) {
  return deps.products.list(caller.tenantId, query.limit ?? PRODUCT_PAGE_SIZE.default, query.cursor);
}

/** A merge patch over the version in If-Match (the current one when absent). */
export async function updateProduct(deps: ProductDeps, caller: Caller, productId: string, patch: ProductPatch, expectedVersion: number): Promise<Product> {
  assertCatalogAdmin(caller);
  const current = await getProduct(deps, caller, productId);
  if (expectedVersion !== current.version) throw new StaleVersion('product', current.version);
  const product = patchedProduct(current, patch, clock.nowIso());
  return settle(await deps.products.save(caller.tenantId, product, current), product, async () => (await getProduct(deps, caller, productId)).version);
}
