import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignReadDeps } from '../../shared/campaigns/wiring';
import { cancelCampaign } from '../../shared/campaigns/campaign-state-use-cases';

/** POST /campaigns/{id}/cancel: final; a started campaign ends with crm.campaign.completed.v1. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const campaign = await cancelCampaign(campaignReadDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
