import { httpHandler, json } from '../../shared/http/http-handler';
import { createProductInput, productView } from '../../shared/products/product';
import { createProduct } from '../../shared/products/product-use-cases';
import { productDeps } from '../../shared/products/wiring';

/** POST /products */
export const handler = httpHandler({ body: createProductInput }, async ({ caller, body }) => {
  const product = await createProduct(productDeps, caller, body);
  return json(201, productView(product), { etag: `"${product.version}"`, location: `/products/${product.id}` });
});
