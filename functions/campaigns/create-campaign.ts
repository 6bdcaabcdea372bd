import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/marketing/campaign';
import { createCampaignInput } from '../../shared/marketing/campaign-input';
import { campaignDeps } from '../../shared/marketing/campaign-service';
import { createCampaign } from '../../shared/marketing/campaign-use-cases';

/** POST /campaigns: a draft campaign (template, segment, topic, rate, budget); nothing is sent yet. */
export const handler = httpHandler({ body: createCampaignInput }, async ({ caller, body }) => {
  const campaign = await createCampaign(campaignDeps, caller, body);
  return json(201, campaignView(campaign), { etag: `"${campaign.version}"`, location: `/campaigns/${campaign.id}` });
});
