import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { Customer360Reader } from './customer-360';
import { CustomerExporter } from './customer-export';
import { CustomerLister } from './customer-list';
import { CustomerRepository } from './customer-repository';
import { DuplicateFinder } from './duplicate-check';

/** The repository wired to this container's table; built once per container. */
export const customerRepository = new CustomerRepository(documentClient, requireEnv(ENV.tableName));

export const customer360Reader = new Customer360Reader(documentClient, requireEnv(ENV.tableName));

export const duplicateFinder = new DuplicateFinder(documentClient, requireEnv(ENV.tableName));

export const customerExporter = new CustomerExporter(documentClient, requireEnv(ENV.tableName));

export const customerLister = new CustomerLister(documentClient, requireEnv(ENV.tableName));
