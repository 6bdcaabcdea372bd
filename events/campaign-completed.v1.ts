import * as z from 'zod/mini';
import { defineEvent, type DetailOf } from './envelope';

const count = () => z.int().check(z.minimum(0));

/**
 * A campaign stopped for good: every queued recipient was sent to (`sent`), or a marketer
 * cancelled it (`cancelled`). Committed with the campaign's final status; the counts are the
 * stats at that moment (SES events keep adding delivered/opened... afterwards).
 */
export const campaignCompletedV1 = defineEvent(
  'crm.campaign.completed.v1',
  z.object({
    campaignId: z.string(),
    templateId: z.string(),
    segmentId: z.string(),
    topic: z.string(),
    outcome: z.enum(['sent', 'cancelled']),
    audience: count(),
    sent: count(),
    failed: count(),
    skipped: count(),
    completedAt: z.iso.datetime(),
  }),
);

export type CampaignCompletedV1 = DetailOf<typeof campaignCompletedV1>;
