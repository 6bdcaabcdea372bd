import { campaignRunInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignTemplateDeps } from '../../shared/campaigns/wiring';
import { startCampaignRun } from '../../shared/campaigns/campaign-flow-use-cases';

/** Campaign flow, first step: is this run still current; copy the template into SES once. */
export const handler = async (event: unknown) => startCampaignRun(campaignTemplateDeps, campaignRunInput.parse(event));
