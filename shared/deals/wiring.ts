// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { pipelineRepository } from '../pipelines/wiring';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { DealLister } from './deal-list-repository';
import { DealRepository } from './deal-repository';
import type { DealDeps } from './deal-use-cases';
import { ForecastReader } from './forecast-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const dealDeps: DealDeps = {
  deals: /* @__PURE__ */ new DealRepository(documentClient, tableName),
  customers: customerRepository,
  pipelines: pipelineRepository,
  users: userDirectory,
};

export const forecastReader = /* @__PURE__ */ new ForecastReader(documentClient, tableName);

export const dealLister = /* @__PURE__ */ new DealLister(documentClient, tableName);
