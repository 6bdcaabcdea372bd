import { runFailureInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignFlowDeps } from '../../shared/campaigns/wiring';
import { recordCampaignFailure } from '../../shared/campaigns/campaign-flow-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow, on an error past its retries: status `failed` with the error's name. */
export const handler = eventHandler(async (event: unknown) => recordCampaignFailure(campaignFlowDeps, runFailureInput.parse(event)));
