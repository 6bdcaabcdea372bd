import { campaignRunInput } from '../../shared/campaigns/campaign-flow-input';
import { freezeDeps } from '../../shared/campaigns/wiring';
import { freezeAudience } from '../../shared/campaigns/campaign-freeze-use-case';

/** Campaign flow: freezes the next pages of the segment into recipient items. */
export const handler = async (event: unknown) => freezeAudience(freezeDeps, campaignRunInput.parse(event));
