import { continueRunInput } from '../../shared/campaigns/campaign-flow-input';
import { campaignHandOverDeps } from '../../shared/campaigns/wiring';
import { continueCampaignRun } from '../../shared/campaigns/campaign-flow-use-cases';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow: the execution's history budget is spent; the run goes on in a fresh execution. */
export const handler = eventHandler(async (event: unknown) => continueCampaignRun(campaignHandOverDeps, continueRunInput.parse(event)));
