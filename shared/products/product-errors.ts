import { Conflict, NotFound } from '../errors';

export class ProductNotFound extends NotFound {
  constructor(productId: string) {
    super(`Product ${productId} not found`);
  }
}

/** A SKU names one product of the tenant (compared without case). */
export class DuplicateSku extends Conflict {
  override readonly slug = 'duplicate-sku';
  constructor(sku: string, existingProductId?: string) {
    super(`Another product has the SKU ${sku}`);
    if (existingProductId) this.extensions.existingProductId = existingProductId;
  }
}
