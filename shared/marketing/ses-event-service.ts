import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { SesEventRepository } from './ses-event-repository';
import { suppressionRepository } from './suppression-service';
import type { SesEventDeps } from './ses-event-use-cases';

/** Built once per container. */
export const sesEventDeps: SesEventDeps = {
  suppressions: suppressionRepository,
  timeline: new SesEventRepository(documentClient, requireEnv(ENV.tableName)),
};
