import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import { CampaignRepository } from './campaign-repository';

/** What the campaign functions that start no run use (read, list, pause, cancel); built once per container. */
export const campaignReadDeps = { campaigns: new CampaignRepository(documentClient, requireEnv(ENV.tableName)) };
