import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { TemplateRepository } from './template-repository';

/** The template readers' repository (no SES client: reading needs none). */
export const templateRepository = new TemplateRepository(documentClient, requireEnv(ENV.tableName));
