import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomerLister } from './customer-list';

export const customerLister = new CustomerLister(documentClient, requireEnv(ENV.tableName));
