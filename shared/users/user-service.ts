import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { UserDirectory } from './user-directory';

/** The user directory wired to this container's table; built once per container. */
export const userDirectory = new UserDirectory(documentClient, requireEnv(ENV.tableName));
