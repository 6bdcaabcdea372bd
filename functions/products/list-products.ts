import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';
import { productView } from '../../shared/products/product';
import { listProducts, PRODUCT_PAGE_SIZE } from '../../shared/products/product-use-cases';
import { productDeps } from '../../shared/products/wiring';

/** GET /products: the catalog, one Query per page. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listProducts(productDeps, caller, { limit: parseLimit(query.limit, PRODUCT_PAGE_SIZE.default, PRODUCT_PAGE_SIZE.max), cursor: query.cursor });
  return json(200, { items: page.items.map(productView), cursor: page.cursor });
});
