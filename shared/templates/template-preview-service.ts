import { documentClient } from '../aws/dynamodb';
import { ContactRepository } from '../contacts/contact-repository';
import { customerRepository } from '../customers/customer-service';
import { poolRepository } from '../pools/pool-service';
import { ENV, requireEnv } from '../runtime-env';
import { TemplateRepository } from './template-repository';
import type { TemplatePreviewDeps } from './template-preview-use-case';

/** What the preview reads: the template, the customer (with pool access), a contact. */
export const templatePreviewDeps: TemplatePreviewDeps = {
  templates: new TemplateRepository(documentClient, requireEnv(ENV.tableName)),
  customers: customerRepository,
  contacts: new ContactRepository(documentClient, requireEnv(ENV.tableName)),
  pools: poolRepository,
};
