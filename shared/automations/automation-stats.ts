import type { AutomationSendOutcome } from './automation-send';
import { ENGAGEMENT_STAT_OF_ATTRIBUTE } from '../campaigns/campaign';

/**
 * An automation's statistics (docs/marketing.md, "Automation statistics"), pure. Each counter is a
 * top-level attribute of the automation's stats item, so an `ADD` creates the item and the counter
 * in one write (a nested map would have to exist first). Sends count in the transaction that
 * records their outcome; engagement counts in the transaction that stamps the send record, once
 * per send however often SES redelivers or the recipient opens, clicks or unsubscribes again.
 */

/** Why a send was skipped: every outcome but `sent`, and `automation-gone` (no automation left to show it). */
export const AUTOMATION_SKIP_REASONS = ['customer-gone', 'lead-gone', 'contact-gone', 'no-address', 'no-consent', 'suppressed', 'capped', 'offer-locked', 'offer-customers-only', 'template-gone', 'automation-disabled'] as const satisfies readonly AutomationSendOutcome[];
export type AutomationSkipReason = (typeof AUTOMATION_SKIP_REASONS)[number];

/** The send record's stamp of each engagement, as SES events and the unsubscribe link report it, and the counter it adds to: the campaigns' own table. */
export const AUTOMATION_ENGAGEMENT_STATS = ENGAGEMENT_STAT_OF_ATTRIBUTE;
export type AutomationEngagementAttribute = keyof typeof AUTOMATION_ENGAGEMENT_STATS;
type EngagementStat = (typeof AUTOMATION_ENGAGEMENT_STATS)[AutomationEngagementAttribute];

export type AutomationStats = { sent: number; skipped: Record<AutomationSkipReason, number> } & Record<EngagementStat, number>;

const SKIP_PREFIX = 'skipped:';

/** The counter attribute an outcome adds to; undefined for one not counted (`automation-gone`). */
export function automationOutcomeCounter(outcome: string): string | undefined {
  if (outcome === 'sent') return 'sent';
  return (AUTOMATION_SKIP_REASONS as readonly string[]).includes(outcome) ? `${SKIP_PREFIX}${outcome}` : undefined;
}

export const automationEngagementCounter = (attribute: AutomationEngagementAttribute): string => AUTOMATION_ENGAGEMENT_STATS[attribute];

/** The statistics of the stats item, every counter present (0 when the item or the counter is missing). */
export function automationStatsFromItem(item: Record<string, unknown> | undefined): AutomationStats {
  const count = (name: string) => (typeof item?.[name] === 'number' ? (item[name] as number) : 0);
  const skipped = Object.fromEntries(AUTOMATION_SKIP_REASONS.map((reason) => [reason, count(`${SKIP_PREFIX}${reason}`)])) as Record<AutomationSkipReason, number>;
  const engagement = Object.fromEntries(Object.values(AUTOMATION_ENGAGEMENT_STATS).map((stat) => [stat, count(stat)])) as Record<EngagementStat, number>;
  return { sent: count('sent'), skipped, ...engagement };
}
