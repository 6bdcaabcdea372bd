import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { PoolCustomerLister } from './pool-customer-list';
import { PoolRepository } from './pool-repository';

/** The pool repository wired to this container's table; built once per container. */
export const poolRepository = new PoolRepository(documentClient, requireEnv(ENV.tableName));

export const poolCustomerLister = new PoolCustomerLister(documentClient, requireEnv(ENV.tableName));
