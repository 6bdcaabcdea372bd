// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52):
// only the functions granted the files bucket (GET /exports/{id}, RunExport) hold the S3 client.
import { tmpdir } from 'node:os';
import { documentClient } from '../aws/dynamodb';
import { S3Objects } from '../aws/s3-objects';
import { customFieldRepository } from '../custom-fields/wiring';
import { customerLister } from '../customers/wiring';
import { requireEnv } from '../runtime-env';
import { segmentCustomerReader, segmentRepository } from '../segments/wiring';
import { ContactRepository } from '../contacts/contact-repository';
import { LeadRepository } from '../leads/lead-repository';
import { ProductRepository } from '../products/product-repository';
import { DealRepository } from '../deals/deal-repository';
import { DealLister } from '../deals/deal-list-repository';
import { PipelineRepository } from '../pipelines/pipeline-repository';
import { ExportRepository } from './export-repository';
import type { ExportRunDeps } from './export-run-use-case';
import type { ExportDeps } from './export-use-cases';

const exports = /* @__PURE__ */ new ExportRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME'));
const files = /* @__PURE__ */ S3Objects.forBucket(/* @__PURE__ */ requireEnv('FILES_BUCKET'));

/** POST /exports and GET /exports: the table alone. */
export const exportDeps: Pick<ExportDeps, 'exports' | 'segments'> = { exports, segments: segmentRepository };

/** GET /exports/{id}: the job, and links to its file. */
export const exportReadDeps: Pick<ExportDeps, 'exports' | 'files'> = { exports, files };

export const exportRunDeps: ExportRunDeps = {
  exports,
  customers: customerLister,
  segments: segmentRepository,
  segmentReader: segmentCustomerReader,
  customFields: customFieldRepository,
  files,
  products: /* @__PURE__ */ new ProductRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  leads: /* @__PURE__ */ new LeadRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  contacts: /* @__PURE__ */ new ContactRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  deals: /* @__PURE__ */ new DealRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  dealLists: /* @__PURE__ */ new DealLister(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  pipelines: /* @__PURE__ */ new PipelineRepository(documentClient, /* @__PURE__ */ requireEnv('TABLE_NAME')),
  spoolDir: /* @__PURE__ */ tmpdir(),
};
