import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { createCampaignInput } from '../../shared/campaigns/campaign-input';
import { campaignDeps } from '../../shared/campaigns/wiring';
import { createCampaign } from '../../shared/campaigns/campaign-use-cases';

/** POST /campaigns: a draft campaign (template, segment, topic, rate, budget); nothing is sent yet. */
export const handler = httpHandler({ body: createCampaignInput }, async ({ caller, body }) => {
  const campaign = await createCampaign(campaignDeps, caller, body);
  return json(201, campaignView(campaign), { etag: `"${campaign.version}"`, location: `/campaigns/${campaign.id}` });
});
