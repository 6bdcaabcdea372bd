import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { productPatch, productView } from '../../shared/products/product';
import { updateProduct } from '../../shared/products/product-use-cases';
import { productDeps } from '../../shared/products/wiring';

/** PATCH /products/{id}: merge patch; with If-Match. */
export const handler = httpHandler({ body: productPatch }, async ({ caller, body, pathParameters, headers }) => {
  const product = await updateProduct(productDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match'], 'product'));
  return json(200, productView(product), { etag: `"${product.version}"` });
});
