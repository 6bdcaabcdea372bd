import * as z from 'zod/mini';
import { consentTopic, text } from '../customers/fields';
import { offerId } from '../consent/offer-input';
import { AB_WINNER_METRICS } from './campaign-ab-test';

/** What `POST /campaigns` accepts (docs/marketing.md, "Campaigns"). */

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export const CAMPAIGN_LIMITS = {
  ratePerSecond: { min: 1, max: 1000, default: 14 },
  /** In hundredths of USD, like every amount of money in the API: 1 buys 100 emails. */
  budget: { min: 1, max: 100_000_000 },
  /** Percent of the audience each A/B variant is tested on; the rest (at least none) gets the winner. */
  abShare: { min: 1, max: 50 },
  /** From the last test mail to picking the winner: a minute to a week; 4 hours by default. */
  abWaitMinutes: { min: 1, max: 10_080, default: 240 },
} as const;

const id = () => z.string().check(z.regex(ID, 'Expected an id of letters, digits, _ or -'));

/** One variant: another template, another subject, or both (neither: the campaign's own, the control). */
const abVariantInput = z.strictObject({
  templateId: z.optional(id()),
  subject: z.optional(text(998)),
});

export const abTestInput = z.strictObject({
  variants: z.tuple([abVariantInput, abVariantInput]),
  /** Percent of the audience each variant goes to (1-50). */
  share: z.int().check(z.minimum(CAMPAIGN_LIMITS.abShare.min, 'Each variant\'s share is 1 to 50 percent of the audience'), z.maximum(CAMPAIGN_LIMITS.abShare.max, 'Each variant\'s share is 1 to 50 percent of the audience')),
  winnerBy: z.optional(z.enum(AB_WINNER_METRICS)),
  waitMinutes: z.optional(z.int().check(z.minimum(CAMPAIGN_LIMITS.abWaitMinutes.min), z.maximum(CAMPAIGN_LIMITS.abWaitMinutes.max))),
});

export const createCampaignInput = z.strictObject({
  name: text(200),
  templateId: id(),
  segmentId: id(),
  topic: consentTopic(),
  /** When to start sending (ISO time); absent or past means when `/send` is called. */
  sendAt: z.optional(z.iso.datetime({ offset: true })),
  ratePerSecond: z.optional(z.int().check(z.minimum(CAMPAIGN_LIMITS.ratePerSecond.min), z.maximum(CAMPAIGN_LIMITS.ratePerSecond.max))),
  budget: z.optional(z.int().check(z.minimum(CAMPAIGN_LIMITS.budget.min), z.maximum(CAMPAIGN_LIMITS.budget.max))),
  /**
   * The offer this campaign makes (`spring-2027`): a customer holding another offer's lock is
   * skipped, and one who gets this mail is locked to it for the tenant's `offerLockDays`.
   */
  offer: z.optional(offerId()),
  /** Two variants tested on a share of the audience each; the better one goes to the rest. */
  abTest: z.optional(abTestInput),
});
export type CreateCampaignInput = z.output<typeof createCampaignInput>;

