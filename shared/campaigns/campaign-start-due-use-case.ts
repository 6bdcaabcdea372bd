import type { CampaignRepository } from './campaign-repository';
import { startScheduledCampaign } from './campaign-run-use-cases';
import type { DueHandler } from '../automations/marketing-due';

/**
 * The marketing-due handler of a scheduled campaign start (kind `campaign-start`, written by
 * `/send` before `sendAt`): a campaign still `scheduled` starts its first run; a paused or
 * cancelled one is left as it is. Idempotent: a started campaign is no longer `scheduled`.
 */
export function campaignStartDueHandler(deps: { campaigns: CampaignRepository }): DueHandler {
  return async (entry) => ({ outcome: await startScheduledCampaign(deps, entry.tenantId, entry.id) });
}
