import { createHash } from 'node:crypto';

/**
 * A/B tests of campaigns (docs/marketing.md, "A/B tests"): two variants (a template and or a
 * subject each) go to a test share of the audience each; after a set time the variant with the
 * better open (or click) rate goes to the rest. Pure rules; the flow's steps apply them.
 */

export const AB_VARIANTS = ['A', 'B'] as const;
export type AbVariantName = (typeof AB_VARIANTS)[number];

export interface AbVariant {
  name: AbVariantName;
  /** The template this variant sends (the campaign's own when the input named none). */
  templateId: string;
  /** Replaces the template's subject for this variant; null: the template's. */
  subject: string | null;
}

export const AB_PHASES = ['testing', 'waiting', 'decided'] as const;
export type AbPhase = (typeof AB_PHASES)[number];

export const AB_WINNER_METRICS = ['opened', 'clicked'] as const;
export type AbWinnerMetric = (typeof AB_WINNER_METRICS)[number];

/** What each variant counts: its mails and what SES reported of them. */
export const VARIANT_STAT_NAMES = ['sent', 'failed', 'delivered', 'bounced', 'complained', 'opened', 'clicked'] as const;
export type VariantStatName = (typeof VARIANT_STAT_NAMES)[number];
export type VariantStats = Record<VariantStatName, number>;
export type VariantStatsByName = Record<AbVariantName, VariantStats>;

export const emptyVariantStats = (): VariantStatsByName =>
  Object.fromEntries(AB_VARIANTS.map((v) => [v, Object.fromEntries(VARIANT_STAT_NAMES.map((n) => [n, 0]))])) as VariantStatsByName;

export interface AbTest {
  variants: [AbVariant, AbVariant];
  /** Percent of the audience each variant is tested on (1-50); the rest waits for the winner. */
  share: number;
  winnerBy: AbWinnerMetric;
  /** How long after the last test mail the winner is picked. */
  waitMinutes: number;
  phase: AbPhase;
  /** When the winner is picked (set when the test mails are out). */
  decideAt: string | null;
  winner: AbVariantName | null;
  decidedAt: string | null;
  /** Each variant's counts and rate when the winner was picked: why it won. */
  decision: Record<AbVariantName, { sent: number; count: number; rate: number }> | null;
}

/**
 * Which variant a recipient is tested on, or null for the rest. A hash of campaign and customer,
 * so the split is the same on every retry of a freeze page and independent between campaigns; over
 * a large audience each variant gets its share (a small audience only about it).
 */
export function abVariantOf(campaignId: string, customerId: string, share: number): AbVariantName | null {
  const bucket = createHash('sha256').update(`${campaignId}:${customerId}`).digest().readUInt32BE(0) % 10_000;
  const per = share * 100;
  if (bucket < per) return 'A';
  if (bucket < 2 * per) return 'B';
  return null;
}

/** A variant's rate of the metric over its mails sent; 0 when none was sent. */
export function variantRate(stats: VariantStats, by: AbWinnerMetric): number {
  return stats.sent ? stats[by] / stats.sent : 0;
}

/** The better variant by the test's metric; a tie goes to A (the control, by convention). */
export function pickWinner(stats: VariantStatsByName, by: AbWinnerMetric): AbVariantName {
  return variantRate(stats.B, by) > variantRate(stats.A, by) ? 'B' : 'A';
}

/** The test once decided: the winner, when, and each variant's figures. */
export function decideTest(test: AbTest, stats: VariantStatsByName, nowIso: string): AbTest {
  const decision = Object.fromEntries(AB_VARIANTS.map((v) => [v, { sent: stats[v].sent, count: stats[v][test.winnerBy], rate: variantRate(stats[v], test.winnerBy) }])) as AbTest['decision'];
  return { ...test, phase: 'decided', winner: pickWinner(stats, test.winnerBy), decidedAt: nowIso, decision };
}

/** The test once its mails are out: waiting for the winner until `waitMinutes` from now. */
export function awaitWinner(test: AbTest, nowIso: string): AbTest {
  return { ...test, phase: 'waiting', decideAt: new Date(Date.parse(nowIso) + test.waitMinutes * 60_000).toISOString() };
}

/** The variant a batch sends: the recipients' own in the test, the winner for the rest. */
export function variantToSend(test: AbTest | null, recipientVariant: AbVariantName | null | undefined): AbVariantName | null {
  if (!test) return null;
  return recipientVariant ?? test.winner;
}

/** The key of a variant's SES template copy (and the campaign's own without a test). */
export const variantTemplateKey = (campaignId: string, variant: AbVariantName | null) => (variant ? `${campaignId}-${variant}` : campaignId);
