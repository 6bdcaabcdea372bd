import { campaignRunInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignTemplateDeps } from '../../shared/campaigns/wiring';
import { completeCampaign } from '../../shared/campaigns/campaign-flow-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow, last step: status `sent` with crm.campaign.completed.v1. */
export const handler = eventHandler(async (event: unknown) => completeCampaign(campaignTemplateDeps, campaignRunInput.parse(event)));
