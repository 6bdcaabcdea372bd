import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/customer-service';
import { pipelineRepository } from '../pipelines/pipeline-service';
import { ENV, requireEnv } from '../runtime-env';
import { userDirectory } from '../users/user-service';
import { DealRepository } from './deal-repository';
import type { DealDeps } from './deal-use-cases';

/** The deal use cases' dependencies wired to this container's table; built once per container. */
export const dealDeps: DealDeps = {
  deals: new DealRepository(documentClient, requireEnv(ENV.tableName)),
  customers: customerRepository,
  pipelines: pipelineRepository,
  users: userDirectory,
};
