import { httpHandler, json } from '../../shared/http/http-handler';
import { campaignView } from '../../shared/marketing/campaign';
import { campaignDeps } from '../../shared/marketing/campaign-service';
import { getCampaign } from '../../shared/marketing/campaign-use-cases';

/** GET /campaigns/{id}: status, stats and cost at the SES price. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const campaign = await getCampaign(campaignDeps, caller, pathParameters.id ?? '');
  return json(200, campaignView(campaign), { etag: `"${campaign.version}"` });
});
