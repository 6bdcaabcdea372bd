import { httpHandler, json } from '../../shared/http/http-handler';
import { productView } from '../../shared/products/product';
import { getProduct } from '../../shared/products/product-use-cases';
import { productDeps } from '../../shared/products/wiring';

/** GET /products/{id} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const product = await getProduct(productDeps, caller, pathParameters.id ?? '');
  return json(200, productView(product), { etag: `"${product.version}"` });
});
