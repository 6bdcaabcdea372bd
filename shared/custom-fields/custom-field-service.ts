import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CustomFieldRepository } from './custom-field-repository';

/** The repository wired to this container's table; built once per container. */
export const customFieldRepository = new CustomFieldRepository(documentClient, requireEnv(ENV.tableName));
