import { planBatchesInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignPlanDeps } from '../../shared/campaigns/wiring';
import { planCampaignBatches } from '../../shared/campaigns/campaign-flow-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow: the next round of batches of queued recipients (or stop, hand over, complete). */
export const handler = eventHandler(async (event: unknown) => planCampaignBatches(campaignPlanDeps, planBatchesInput.parse(event)));
