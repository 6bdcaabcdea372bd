import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomerRepository } from './customer-repository';

/**
 * The repository wired to this container's table; built once per container. Each reader has a
 * service module of its own, so a function bundles (and initializes) only what it uses.
 */
export const customerRepository = new CustomerRepository(documentClient, requireEnv(ENV.tableName));
