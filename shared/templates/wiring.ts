// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { sesV2 } from '../aws/sesv2';
import { ContactRepository } from '../contacts/contact-repository';
import { customFieldRepository } from '../custom-fields/wiring';
import { customerRepository } from '../customers/wiring';
import { poolRepository } from '../pools/wiring';
import { requireEnv } from '../runtime-env';
import { SesTemplateStore } from './ses-template-gateway';
import type { TemplatePreviewDeps } from './template-preview-use-case';
import { TemplateRepository } from './template-repository';
import type { TemplateWriteDeps } from './template-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

/** The template readers' repository (reading needs no SES client). */
export const templateRepository = /* @__PURE__ */ new TemplateRepository(documentClient, tableName);

/** What the template writers (create, update) use: they also store the SES template. */
export const templateWriteDeps: TemplateWriteDeps = {
  templates: templateRepository,
  ses: /* @__PURE__ */ new SesTemplateStore(sesV2),
  customFields: customFieldRepository,
  stage: /* @__PURE__ */ requireEnv('STAGE'),
};

/** What the preview reads: the template, the customer (with pool access), a contact. */
export const templatePreviewDeps: TemplatePreviewDeps = {
  templates: templateRepository,
  customers: customerRepository,
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
  pools: poolRepository,
};
