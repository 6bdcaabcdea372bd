// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { ProductRepository } from './product-repository';
import type { ProductDeps } from './product-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
export const productRepository = /* @__PURE__ */ new ProductRepository(documentClient, tableName);
export const productDeps: ProductDeps = { products: productRepository };
