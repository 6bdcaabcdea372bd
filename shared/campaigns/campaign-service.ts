import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CampaignRepository } from './campaign-repository';
import { campaignRunStarter } from './campaign-run-starter';
import type { CampaignDeps } from './campaign-use-cases';
import { SegmentRepository } from '../segments/segment-repository';
import { TemplateRepository } from '../templates/template-repository';

const tableName = requireEnv(ENV.tableName);
const campaigns = new CampaignRepository(documentClient, tableName);

/** What the campaign API functions use; built once per container. */
export const campaignDeps: CampaignDeps = {
  campaigns,
  templates: new TemplateRepository(documentClient, tableName),
  segments: new SegmentRepository(documentClient, tableName),
  runs: campaignRunStarter,
  schedule: { schedule: (campaign, at) => campaigns.scheduleStart(campaign, at) },
};
