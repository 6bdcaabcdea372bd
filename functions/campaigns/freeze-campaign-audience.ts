import { campaignRunInput } from '../../shared/campaigns/campaign-flow-input';
import { freezeDeps } from '../../shared/campaigns/wiring';
import { freezeAudience } from '../../shared/campaigns/campaign-freeze-use-case';
import { eventHandler } from '../../shared/log-context';

/** Campaign flow: freezes the next pages of the segment into recipient items. */
export const handler = eventHandler(async (event: unknown) => freezeAudience(freezeDeps, campaignRunInput.parse(event)));
