import type { RecipientStatus } from './campaign';

/**
 * Who of a campaign's segment gets the mail (docs/marketing.md, "Campaigns"). Pure rules, applied
 * twice: when the audience is frozen (so batches hold only recipients expected to be sendable,
 * and SES calls = ceil(eligible / 50)) and again just before each batch, so an unsubscribe, a
 * bounce or another campaign's mail takes effect from the next batch on.
 */
export interface RecipientFacts {
  /** The customer still exists (not erased or merged away). */
  live: boolean;
  address: string | null;
  consented: boolean;
  suppressed: boolean;
  /** The frequency cap allows no further marketing email now. */
  capped: boolean;
}

export type SkipReason = Extract<RecipientStatus, 'no-address' | 'no-consent' | 'suppressed' | 'capped'>;

/** The first reason not to mail, in the order a marketer reads them; undefined when the mail may go. */
export function skipReason(facts: RecipientFacts): SkipReason | undefined {
  if (!facts.live || !facts.address) return 'no-address';
  if (!facts.consented) return 'no-consent';
  if (facts.suppressed) return 'suppressed';
  if (facts.capped) return 'capped';
  return undefined;
}

/**
 * A recipient's status when frozen: a skip reason, `over-budget` once the budget's emails are all
 * queued, else `queued`. `queuedBefore` counts the recipients queued before this one.
 */
export function frozenStatus(facts: RecipientFacts, queuedBefore: number, allowance: number): RecipientStatus {
  return skipReason(facts) ?? (queuedBefore >= allowance ? 'over-budget' : 'queued');
}
