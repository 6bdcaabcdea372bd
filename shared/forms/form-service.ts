import { documentClient } from '../aws/dynamodb';
import { LeadRepository } from '../leads/lead-repository';
import { ENV, requireEnv } from '../runtime-env';
import { FormRepository } from './form-repository';

/** Built once per container: the forms, and the leads a submission creates. */
const tableName = requireEnv(ENV.tableName);
export const formDeps = { forms: new FormRepository(documentClient, tableName), leads: new LeadRepository(documentClient, tableName) };
