// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { PoolCustomerLister } from './pool-customer-list-repository';
import { PoolRepository } from './pool-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const poolRepository = /* @__PURE__ */ new PoolRepository(documentClient, tableName);

export const poolCustomerLister = /* @__PURE__ */ new PoolCustomerLister(documentClient, tableName);
