import { campaignRunInput } from '../../shared/marketing/campaign-flow-input';
import { campaignFlowDeps } from '../../shared/marketing/campaign-flow-service';
import { completeCampaign } from '../../shared/marketing/campaign-flow-steps';

/** Campaign flow, last step: status `sent` with crm.campaign.completed.v1. */
export const handler = async (event: unknown) => completeCampaign(campaignFlowDeps, campaignRunInput.parse(event));
