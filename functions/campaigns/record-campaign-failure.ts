import { runFailureInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignFlowDeps } from '../../shared/campaigns/wiring';
import { recordCampaignFailure } from '../../shared/campaigns/campaign-flow-use-cases';

/** Campaign flow, on an error past its retries: status `failed` with the error's name. */
export const handler = async (event: unknown) => recordCampaignFailure(campaignFlowDeps, runFailureInput.parse(event));
