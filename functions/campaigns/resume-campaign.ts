import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignDeps } from '../../shared/campaigns/wiring';
import { resumeCampaign } from '../../shared/campaigns/campaign-use-cases';

/** POST /campaigns/{id}/resume: a new run sends to the recipients still queued. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await resumeCampaign(campaignDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
