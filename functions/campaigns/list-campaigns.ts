import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignReadDeps } from '../../shared/campaigns/wiring';
import { listCampaigns } from '../../shared/campaigns/campaign-state-use-cases';

/** GET /campaigns: the tenant's campaigns with their status and stats, oldest first. */
export const handler = httpHandler({}, async ({ caller }) => {
  const campaigns = await listCampaigns(campaignReadDeps, caller);
  return json(200, { items: campaigns.map(campaignView) });
});
