// Built once per container, at module load (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { S3Objects } from '../aws/s3-objects';
import { ContactRepository } from '../contacts/contact-repository';
import { DealRepository } from '../deals/deal-repository';
import { PipelineRepository } from '../pipelines/pipeline-repository';
import { LeadRepository } from '../leads/lead-repository';
import { ProductRepository } from '../products/product-repository';
import { CustomFieldRepository } from '../custom-fields/custom-field-repository';
import { CustomerRepository } from '../customers/customer-repository';
import { requireEnv } from '../runtime-env';
import { UserDirectory } from '../users/user-repository';
import { CustomerRowRepository } from './customer-row-repository';
import { startImportFlow } from './import-flow-gateway';
import { ImportRepository } from './import-repository';
import { GuardHolderRepository } from './guard-holder-repository';
import type { ImportRunDeps } from './import-run-use-cases';
import type { ImportDeps } from './import-use-cases';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');
const imports = /* @__PURE__ */ new ImportRepository(documentClient, tableName);
const files = /* @__PURE__ */ S3Objects.forBucket(/* @__PURE__ */ requireEnv('FILES_BUCKET'));
const customFields = /* @__PURE__ */ new CustomFieldRepository(documentClient, tableName);

/** The routes: jobs, links, the flow's start. */
export const importDeps: ImportDeps = { imports, files, customFields, startFlow: startImportFlow };

/** The flow's steps: the rows' writes too. */
export const importRunDeps: ImportRunDeps = {
  imports,
  files,
  customFields,
  rows: /* @__PURE__ */ new CustomerRowRepository(documentClient, tableName),
  customers: /* @__PURE__ */ new CustomerRepository(documentClient, tableName),
  users: /* @__PURE__ */ new UserDirectory(documentClient, tableName),
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, tableName),
  leads: /* @__PURE__ */ new LeadRepository(documentClient, tableName),
  guardHolders: /* @__PURE__ */ new GuardHolderRepository(documentClient, tableName),
  products: /* @__PURE__ */ new ProductRepository(documentClient, tableName),
  deals: /* @__PURE__ */ new DealRepository(documentClient, tableName),
  pipelines: /* @__PURE__ */ new PipelineRepository(documentClient, tableName),
};
