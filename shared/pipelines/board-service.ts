import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { BoardReader } from './board';

/** The board's reader wired to this container's table; built once per container. */
export const boardReader = new BoardReader(documentClient, requireEnv(ENV.tableName));
