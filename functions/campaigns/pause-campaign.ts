import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/marketing/campaign';
import { campaignDeps } from '../../shared/marketing/campaign-service';
import { pauseCampaign } from '../../shared/marketing/campaign-use-cases';

/** POST /campaigns/{id}/pause: no further batch starts; the one sending finishes. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await pauseCampaign(campaignDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
