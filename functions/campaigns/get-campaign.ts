import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/campaigns/campaign';
import { campaignReadDeps } from '../../shared/campaigns/wiring';
import { getCampaign } from '../../shared/campaigns/campaign-state-use-cases';

/** GET /campaigns/{id}: status, stats and cost at the SES price. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await getCampaign(campaignReadDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
