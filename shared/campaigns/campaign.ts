import { Conflict, NotFound } from '../errors';
import type { SegmentAudience, SegmentDefinition } from '../segments/segment-definition';
import type { AbTest, AbVariantName, VariantStatsByName } from './campaign-ab-test';

/**
 * Campaigns (docs/marketing.md, "Campaigns"): a template sent to a segment's customers under one
 * consent topic, by the campaign flow (infra/constructs/campaign-flow.ts). Pure model and rules;
 * the repository stores them, the use cases apply them. The API's input schema is in
 * campaign-input.ts, so the flow's functions do not bundle it.
 */

/** SendBulkEmail takes at most 50 destinations per call. */
export const SES_BULK_MAX_DESTINATIONS = 50;

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * Every count a campaign reports. The first six partition the audience as it was frozen (and
 * re-checked before each batch); the rest come back from SES events and unsubscribe links, each
 * counted once per recipient.
 */
export const CAMPAIGN_STAT_NAMES = [
  'audience',
  'suppressed',
  'noConsent',
  'capped',
  'noAddress',
  'overBudget',
  'offerLocked',
  'sent',
  'failed',
  'delivered',
  'bounced',
  'complained',
  'opened',
  'clicked',
  'unsubscribed',
] as const;
export type CampaignStatName = (typeof CAMPAIGN_STAT_NAMES)[number];
export type CampaignStats = Record<CampaignStatName, number>;

export const emptyCampaignStats = (): CampaignStats => Object.fromEntries(CAMPAIGN_STAT_NAMES.map((n) => [n, 0])) as CampaignStats;

export interface Campaign {
  id: string;
  tenantId: string;
  name: string;
  templateId: string;
  segmentId: string;
  topic: string;
  sendAt: string | null;
  ratePerSecond: number;
  /** Hundredths of USD; null means no limit. */
  budget: number | null;
  /** The offer it makes, under the offer lock; null: not an offer. */
  offer: string | null;
  /** An A/B test of two variants before the rest gets the winner; null: one template for all. */
  abTest: AbTest | null;
  /** Per variant of an A/B test: mails and what SES reported of them (null without a test). */
  variantStats: VariantStatsByName | null;
  status: CampaignStatus;
  /** The flow execution allowed to send now; a paused or superseded run stops at its next batch. */
  runId: string | null;
  /** Runs started so far (send, then one per resume): names each execution uniquely. */
  runs: number;
  /** Set once the audience is frozen: a resumed run does not freeze again. */
  frozenAt: string | null;
  /** Taken by `/send`: the segment's rules as they were, and the progress of freezing them. */
  audience: CampaignAudience | null;
  /** The template's placeholders, as the first run copied it into the campaign's own SES template. */
  placeholders: string[] | null;
  stats: CampaignStats;
  startedAt: string | null;
  completedAt: string | null;
  /** Why a campaign failed (the flow's error name), for the marketer. */
  failure: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

export interface CampaignAudience {
  definition: SegmentDefinition;
  /** Whom the segment selects: customers, contacts, or leads (absent on campaigns sent before audiences existed: customers). */
  members?: SegmentAudience;
  /** The one `now` relative ranges (`lastActivityWithinDays`...) are evaluated at, on every page. */
  evaluatedAt: string;
  /** Where the freeze continues (a segment cursor); '' before the first page. */
  cursor: string;
  /** Recipients queued so far: the budget stops queueing at `emailsWithinBudget(budget)`. */
  queued: number;
}

/**
 * A recipient's status. `queued` waits for its batch; `sending` was claimed by a batch that may
 * have mailed it (never mailed again); the skip reasons and `over-budget` were decided when the
 * audience was frozen or when its batch re-checked consent, suppression and the frequency cap.
 */
export const RECIPIENT_STATUSES = ['queued', 'sending', 'sent', 'failed', 'suppressed', 'no-consent', 'capped', 'no-address', 'over-budget', 'offer-locked'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

/** The stat a recipient's final status adds to; `queued` and `sending` are not final. */
export const STAT_OF_STATUS: Partial<Record<RecipientStatus, CampaignStatName>> = {
  sent: 'sent',
  failed: 'failed',
  suppressed: 'suppressed',
  'no-consent': 'noConsent',
  capped: 'capped',
  'no-address': 'noAddress',
  'over-budget': 'overBudget',
  'offer-locked': 'offerLocked',
};

/** Engagement SES reports per message, each stamped once on the recipient and counted once. */
export const ENGAGEMENT_STAT_OF_ATTRIBUTE = {
  deliveredAt: 'delivered',
  bouncedAt: 'bounced',
  complainedAt: 'complained',
  openedAt: 'opened',
  clickedAt: 'clicked',
  unsubscribedAt: 'unsubscribed',
} as const satisfies Record<string, CampaignStatName>;
export type EngagementAttribute = keyof typeof ENGAGEMENT_STAT_OF_ATTRIBUTE;

export interface CampaignRecipient {
  campaignId: string;
  /** The recipient's id: a customer's, a contact's or a lead's, as the campaign's segment selects. */
  customerId: string;
  /** A contact's company (contacts campaigns): the partition the batch reads the contact from. */
  companyId?: string;
  status: RecipientStatus;
  /** The A/B variant it is tested on (absent: the rest, who get the winner, or no test). */
  variant?: AbVariantName;
  /** The batch attempt that claimed it (`<runId>#<batch>`), while `sending`. */
  attempt?: string;
  messageId?: string;
  sentAt?: string;
  error?: string;
  deliveredAt?: string;
  bouncedAt?: string;
  complainedAt?: string;
  openedAt?: string;
  clickedAt?: string;
  unsubscribedAt?: string;
}

export class CampaignNotFound extends NotFound {
  constructor(campaignId: string) {
    super(`Campaign ${campaignId} not found`);
  }
}

export class CampaignStateConflict extends Conflict {
  constructor(campaignId: string, status: CampaignStatus, action: string) {
    super(`Campaign ${campaignId} is ${status}: it cannot ${action}`);
  }
}

/** SES's price, USD 0.10 per 1,000 emails: one ten-thousandth of a dollar per email. */
const SES_PRICE_TEN_THOUSANDTHS_USD_PER_EMAIL = 1n;

/** The cost of `sent` emails at the SES price, as an exact decimal string of USD. */
export function campaignCost(sent: number): { currency: 'USD'; amount: string } {
  const tenThousandths = BigInt(sent) * SES_PRICE_TEN_THOUSANDTHS_USD_PER_EMAIL;
  const whole = tenThousandths / 10_000n;
  const fraction = (tenThousandths % 10_000n).toString().padStart(4, '0');
  return { currency: 'USD', amount: `${whole}.${fraction}` };
}

/** How many emails a budget (hundredths of USD) buys at the SES price; null budget: no limit. */
export function emailsWithinBudget(budget: number | null): number {
  return budget === null ? Number.POSITIVE_INFINITY : budget * 100;
}

export function campaignView(campaign: Campaign) {
  const { tenantId: _tenant, runs: _runs, audience: _audience, placeholders: _placeholders, ...view } = campaign;
  return { ...view, cost: campaignCost(campaign.stats.sent) };
}

/** The event's counts from the campaign's stats. */
export function completedData(campaign: Campaign, outcome: 'sent' | 'cancelled', completedAt: string) {
  const s = campaign.stats;
  return {
    campaignId: campaign.id,
    templateId: campaign.templateId,
    segmentId: campaign.segmentId,
    topic: campaign.topic,
    outcome,
    audience: s.audience,
    sent: s.sent,
    failed: s.failed,
    skipped: s.suppressed + s.noConsent + s.capped + s.noAddress + s.overBudget + (s.offerLocked ?? 0),
    completedAt,
  };
}
