// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customerRepository } from '../customers/wiring';
import { pipelineRepository } from '../pipelines/wiring';
import { requireEnv } from '../runtime-env';
import { userDirectory } from '../users/wiring';
import { LeadConversionRepository } from './lead-conversion-repository';
import type { ConversionDeps } from './lead-conversion-use-case';
import { LeadRepository } from './lead-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const leadRepository = /* @__PURE__ */ new LeadRepository(documentClient, tableName);

export const conversionDeps: ConversionDeps = {
  leads: leadRepository,
  customers: customerRepository,
  pipelines: pipelineRepository,
  users: userDirectory,
  conversions: /* @__PURE__ */ new LeadConversionRepository(documentClient, tableName),
};
