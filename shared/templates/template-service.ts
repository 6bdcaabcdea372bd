import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { customFieldRepository } from '../custom-fields/custom-field-service';
import { ENV, requireEnv } from '../runtime-env';
import { SesTemplateStore } from './ses-template-store';
import type { TemplateWriteDeps } from './template-use-cases';
import { TemplateRepository } from './template-repository';

/** What the template writers (create, update) use; built once per container. */
export const templateWriteDeps: TemplateWriteDeps = {
  templates: new TemplateRepository(documentClient, requireEnv(ENV.tableName)),
  ses: new SesTemplateStore(sesV2),
  customFields: customFieldRepository,
  stage: requireEnv(ENV.stage),
};
