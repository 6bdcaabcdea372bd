import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/marketing/campaign';
import { campaignReadDeps } from '../../shared/marketing/campaign-read-service';
import { listCampaigns } from '../../shared/marketing/campaign-state-use-cases';

/** GET /campaigns: the tenant's campaigns with their status and stats, oldest first. */
export const handler = httpHandler({}, async ({ caller }) => {
  const campaigns = await listCampaigns(campaignReadDeps, caller);
  return json(200, { items: campaigns.map(campaignView) });
});
