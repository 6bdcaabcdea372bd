import type { SesEventKind } from '../../events/ses/ses-email-event';
import type { EngagementAttribute } from '../campaigns/campaign';
import { AB_VARIANTS, type AbVariantName } from '../campaigns/campaign-ab-test';
import type { MessageAttribution } from './ses-message-tags';

/**
 * Which recipient attribute an SES event stamps (docs/marketing.md, "SES events"). Every bounce
 * counts as bounced, soft or hard: the campaign's question is "did this mail arrive", and a soft
 * bounce did not, even if the address may work for the next campaign (only hard bounces suppress).
 */
export const ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT = {
  delivery: 'deliveredAt',
  bounce: 'bouncedAt',
  complaint: 'complainedAt',
  open: 'openedAt',
  click: 'clickedAt',
} as const satisfies Record<SesEventKind, EngagementAttribute>;

export interface CampaignEngagement {
  campaignId: string;
  /** The recipient item's id: the customer the campaign mailed (`keys.campaignRecipient`). */
  recipientId: string;
  attribute: EngagementAttribute;
  /** The A/B variant the mail was (its tag), counted on that variant too. */
  variant: AbVariantName | null;
}

/** Ids as the campaign flow makes them: tags are the sender's to set, so anything else is not ours. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The campaign engagement an SES event reports, or undefined when the mail was not a campaign's. */
export function campaignEngagement(kind: SesEventKind, attribution: MessageAttribution): CampaignEngagement | undefined {
  const { campaignId, recipientId } = attribution;
  if (!campaignId || !recipientId || !ID.test(campaignId) || !ID.test(recipientId)) return undefined;
  const variant = AB_VARIANTS.find((v) => v === attribution.variant) ?? null;
  return { campaignId, recipientId, attribute: ENGAGEMENT_ATTRIBUTE_OF_SES_EVENT[kind], variant };
}
