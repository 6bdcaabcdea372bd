import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

/**
 * A scheduled campaign is due: the marketing-due sweep made it `sending` under run `runId`, in
 * the same write as this event. A rule starts the campaign flow with `data` as its input, so the
 * sweep needs no Step Functions client. Every step checks the run id, so a duplicate delivery
 * starts nothing that could send twice.
 */
export const campaignRunRequestedV1 = defineEvent(
  'crm.campaign.run-requested.v1',
  z.object({
    tenantId: z.string(),
    campaignId: z.string(),
    runId: z.string(),
  }),
);

export type CampaignRunRequestedV1 = DetailOf<typeof campaignRunRequestedV1>;
