import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { SuppressionRepository } from './suppression-repository';

/** Built once per container. */
export const suppressionRepository = new SuppressionRepository(documentClient, requireEnv(ENV.tableName));
