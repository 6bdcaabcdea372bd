import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { PoolCustomerLister } from './pool-customer-list';

export const poolCustomerLister = new PoolCustomerLister(documentClient, requireEnv(ENV.tableName));
