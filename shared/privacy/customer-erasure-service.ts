import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomerEraser } from './customer-eraser';

/** The eraser wired to this container's table; built once per container. */
export const customerEraser = new CustomerEraser(documentClient, requireEnv(ENV.tableName));
