import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/marketing/campaign';
import { campaignReadDeps } from '../../shared/marketing/campaign-read-service';
import { cancelCampaign } from '../../shared/marketing/campaign-state-use-cases';

/** POST /campaigns/{id}/cancel: final; a started campaign ends with crm.campaign.completed.v1. */
export const handler = httpHandler({}, async ({ caller, pathParameters, requestId }) => {
  const campaign = await cancelCampaign(campaignReadDeps, caller, pathParameters.id ?? '', requestId);
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
