import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignReadDeps } from '../../shared/campaigns/wiring';
import { pauseCampaign } from '../../shared/campaigns/campaign-state-use-cases';

/** POST /campaigns/{id}/pause: no further batch starts; the one sending finishes. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await pauseCampaign(campaignReadDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
