import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { Customer360Reader } from './customer-360';

export const customer360Reader = new Customer360Reader(documentClient, requireEnv(ENV.tableName));
