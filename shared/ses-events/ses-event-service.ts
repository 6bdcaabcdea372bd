import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CampaignEngagementRepository } from './campaign-engagement-repository';
import { SesEventRepository } from './ses-event-repository';
import { suppressionRepository } from '../consent/suppression-service';
import type { SesEventDeps } from './ses-event-use-cases';

const tableName = requireEnv(ENV.tableName);

/** Built once per container. */
export const sesEventDeps: SesEventDeps = {
  suppressions: suppressionRepository,
  timeline: new SesEventRepository(documentClient, tableName),
  engagement: new CampaignEngagementRepository(documentClient, tableName),
};
