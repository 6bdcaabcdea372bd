import { documentClient } from '../aws/dynamodb';
import { customFieldRepository } from '../custom-fields/custom-field-service';
import { ENV, requireEnv } from '../runtime-env';
import { SegmentCustomerReader, SegmentRepository } from './segment-repository';

const tableName = requireEnv(ENV.tableName);

/** What the segment functions use; built once per container. */
export const segmentDeps = {
  segments: new SegmentRepository(documentClient, tableName),
  reader: new SegmentCustomerReader(documentClient, tableName),
  customFields: customFieldRepository,
};
