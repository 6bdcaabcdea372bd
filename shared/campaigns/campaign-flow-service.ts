import { documentClient } from '../aws/dynamodb';
import { ENV, requireEnv } from '../runtime-env';
import type { CampaignFlowDeps } from './campaign-flow-steps';
import { CampaignRepository } from './campaign-repository';
import { sesTemplateName } from '../templates/ses-template-name';

/**
 * What every step of the campaign flow shares; built once per container. The steps that need
 * more (SES, the segment reader) add it in their own service modules, so each function loads only
 * what its step uses.
 */
export const tableName = requireEnv(ENV.tableName);
const stage = requireEnv(ENV.stage);
export const campaigns = new CampaignRepository(documentClient, tableName);
export const accountRatePerSecond = Number(requireEnv(ENV.sesMaxSendRate));
/** Each campaign sends through its own copy of its template (campaign-flow-steps.ts, startCampaignRun). */
export const campaignSesTemplateName = (tenantId: string, campaignId: string) => sesTemplateName(stage, tenantId, campaignId);

export const campaignFlowDeps: CampaignFlowDeps = { campaigns, sesTemplateName: campaignSesTemplateName, accountRatePerSecond };
