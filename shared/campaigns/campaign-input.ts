import * as z from 'zod/mini';
import { consentTopic, text } from '../customers/fields';
import { offerId } from '../consent/offer-input';

/** What `POST /campaigns` accepts (docs/marketing.md, "Campaigns"). */

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export const CAMPAIGN_LIMITS = {
  ratePerSecond: { min: 1, max: 1000, default: 14 },
  /** In hundredths of USD, like every amount of money in the API: 1 buys 100 emails. */
  budget: { min: 1, max: 100_000_000 },
} as const;

const id = () => z.string().check(z.regex(ID, 'Expected an id of letters, digits, _ or -'));

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
});
export type CreateCampaignInput = z.output<typeof createCampaignInput>;

