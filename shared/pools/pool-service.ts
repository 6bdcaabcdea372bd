import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { PoolRepository } from './pool-repository';

/** The pool repository wired to this container's table; built once per container. */
export const poolRepository = new PoolRepository(documentClient, requireEnv(ENV.tableName));
