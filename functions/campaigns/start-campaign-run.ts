import { campaignRunInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignTemplateDeps } from '../../shared/campaigns/wiring';
import { startCampaignRun } from '../../shared/campaigns/campaign-flow-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow, first step: is this run still current; copy the template into SES once. */
export const handler = eventHandler(async (event: unknown) => startCampaignRun(campaignTemplateDeps, campaignRunInput.parse(event)));
