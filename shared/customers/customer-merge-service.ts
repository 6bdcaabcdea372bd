import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomerMergeRepository } from './customer-merge-repository';
import { customerRepository } from './customer-service';

/** What a merge reads and writes, wired to this container's table; built once per container. */
export const customerMergeRepositories = {
  customers: customerRepository,
  merges: new CustomerMergeRepository(documentClient, requireEnv(ENV.tableName)),
};
