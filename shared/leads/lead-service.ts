import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { LeadRepository } from './lead-repository';

/** The lead repository wired to this container's table; built once per container. */
export const leadRepository = new LeadRepository(documentClient, requireEnv(ENV.tableName));
