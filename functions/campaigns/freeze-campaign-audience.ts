import { campaignRunInput } from '../../shared/marketing/campaign-flow-input';
import { freezeDeps } from '../../shared/marketing/campaign-freeze-service';
import { freezeAudience } from '../../shared/marketing/campaign-freeze-step';

/** Campaign flow: freezes the next pages of the segment into recipient items. */
export const handler = async (event: unknown) => freezeAudience(freezeDeps, campaignRunInput.parse(event));
