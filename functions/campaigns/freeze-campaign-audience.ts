import { campaignRunInput } from '../../shared/marketing/campaign-flow-input';
import { campaignFlowDeps } from '../../shared/marketing/campaign-flow-service';
import { freezeAudience } from '../../shared/marketing/campaign-flow-steps';

/** Campaign flow: freezes the next pages of the segment into recipient items. */
export const handler = async (event: unknown) => freezeAudience(campaignFlowDeps, campaignRunInput.parse(event));
