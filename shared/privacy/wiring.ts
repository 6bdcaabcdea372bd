// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { requireEnv } from '../runtime-env';
import { CustomerEraser } from './customer-erasure-repository';
import { CustomerExporter } from './customer-export-repository';
import { LeadPrivacyRepository } from './lead-erasure-repository';
import { PrivacyRequestRepository } from './privacy-request-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const customerEraser = /* @__PURE__ */ new CustomerEraser(documentClient, tableName);

export const customerExporter = /* @__PURE__ */ new CustomerExporter(documentClient, tableName);

export const leadPrivacy = /* @__PURE__ */ new LeadPrivacyRepository(documentClient, tableName);

export const privacyRequests = /* @__PURE__ */ new PrivacyRequestRepository(documentClient, tableName);
