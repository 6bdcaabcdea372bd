import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { DuplicateFinder } from './duplicate-check';

export const duplicateFinder = new DuplicateFinder(documentClient, requireEnv(ENV.tableName));
