import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomerExporter } from './customer-export';

export const customerExporter = new CustomerExporter(documentClient, requireEnv(ENV.tableName));
