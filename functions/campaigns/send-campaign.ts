import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignDeps } from '../../shared/campaigns/wiring';
import { sendCampaign } from '../../shared/campaigns/campaign-use-cases';

/** POST /campaigns/{id}/send: freezes the audience and sends, now or at `sendAt`. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await sendCampaign(campaignDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
