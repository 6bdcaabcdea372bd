// Built once per container, at module load. Every construction is marked pure and reads its
// environment variable by literal name, so esbuild keeps only what a handler uses (docs/decisions.md, 52).
import { documentClient } from '../aws/dynamodb';
import { customFieldRepository } from '../custom-fields/wiring';
import { requireEnv } from '../runtime-env';
import { SegmentCustomerReader, SegmentRepository } from './segment-repository';

const tableName = /* @__PURE__ */ requireEnv('TABLE_NAME');

export const segmentRepository = /* @__PURE__ */ new SegmentRepository(documentClient, tableName);

/** The segment index: who matches a segment's rules. */
export const segmentCustomerReader = /* @__PURE__ */ new SegmentCustomerReader(documentClient, tableName);

export const segmentDeps = { segments: segmentRepository, reader: segmentCustomerReader, customFields: customFieldRepository };
