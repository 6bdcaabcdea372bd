import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { FormRepository } from './form-repository';

/** Forms only, for the admin routes (their module graph needs no lead code). */
export const formRepository = new FormRepository(documentClient, requireEnv(ENV.tableName));
