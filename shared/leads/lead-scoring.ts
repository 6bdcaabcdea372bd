import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { ENGAGEMENT_TYPES, type Lead, type QualificationLevel, type Signal } from './lead';

/**
 * Lead scoring (docs/leads.md#scoring): pure functions. Score = fit points (rules on the lead's
 * attributes) + engagement points (each signal's weight, halved every `halfLifeDays` since it
 * happened). Decay is computed at read time from the stored signals, so a score is exact at any
 * moment without a background job.
 */

export const FIT_ATTRIBUTES = ['industry', 'companySize', 'region', 'title', 'product', 'source'] as const;
export type FitAttribute = (typeof FIT_ATTRIBUTES)[number];

const weight = z.number().check(z.minimum(-1000), z.maximum(1000));
const words = z.array(text(100)).check(z.minLength(1), z.maxLength(50));

const fitRule = z.strictObject({
  name: text(100),
  attribute: z.enum(FIT_ATTRIBUTES),
  /** Text attributes: equals one of these (case ignored). */
  in: z.optional(words),
  /** Text attributes: contains one of these (case ignored), e.g. titles with "head", "vp". */
  contains: z.optional(words),
  /** companySize: within [min, max]. */
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  weight,
});
export type FitRule = z.output<typeof fitRule>;

const engagementRule = z.strictObject({
  name: text(100),
  signal: z.enum(ENGAGEMENT_TYPES),
  weight,
  /** After this many days a signal counts half, after twice as many a quarter... */
  halfLifeDays: z.number().check(z.minimum(0.01), z.maximum(3650)),
  /** At most this many signals of the kind count (the most recent ones). */
  maxCount: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(1000))),
});
export type EngagementRule = z.output<typeof engagementRule>;

export const scoringConfigInput = z.strictObject({
  fit: z.array(fitRule).check(z.maxLength(100)),
  engagement: z.array(engagementRule).check(z.maxLength(100)),
  thresholds: z.strictObject({ mql: z.number(), sql: z.number() }),
});
export type ScoringConfig = z.output<typeof scoringConfigInput>;

/** A tenant that has not configured scoring: every lead scores 0 and nothing qualifies by score. */
export const NO_SCORING: ScoringConfig = { fit: [], engagement: [], thresholds: { mql: Number.POSITIVE_INFINITY, sql: Number.POSITIVE_INFINITY } };

/** Checks what the schema cannot: a rule must say how it matches, thresholds must climb. */
export function validateScoringConfig(config: ScoringConfig): ScoringConfig {
  const errors: { path: string; message: string }[] = [];
  config.fit.forEach((rule, i) => {
    const numeric = rule.attribute === 'companySize';
    if (numeric && rule.min === undefined && rule.max === undefined) errors.push({ path: `fit.${i}.min`, message: 'Give min and/or max for companySize' });
    if (!numeric && !rule.in && !rule.contains) errors.push({ path: `fit.${i}.in`, message: 'Give in and/or contains for a text attribute' });
  });
  if (config.thresholds.sql < config.thresholds.mql) errors.push({ path: 'thresholds.sql', message: 'The SQL threshold must be at least the MQL threshold' });
  if (errors.length) throw new ValidationFailed(errors);
  return config;
}

export interface ScoreContribution {
  rule: string;
  kind: 'fit' | 'engagement';
  points: number;
  /** Fit: the matched attribute value. Engagement: how many signals counted. */
  detail: string;
}

export interface LeadScore {
  score: number;
  at: string;
  contributions: ScoreContribution[];
}

const round = (n: number) => Math.round(n * 100) / 100;
const DAY_MS = 86_400_000;

export function fitMatches(rule: FitRule, lead: Pick<Lead, FitAttribute>): string | undefined {
  const value = lead[rule.attribute];
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') {
    return (rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max) ? String(value) : undefined;
  }
  const lower = value.toLowerCase();
  if (rule.in?.some((v) => v.toLowerCase() === lower)) return value;
  if (rule.contains?.some((v) => lower.includes(v.toLowerCase()))) return value;
  return undefined;
}

/** 2^(-age / halfLife); signals from the future (clock skew) count fully. */
export function decayFactor(occurredAt: string, nowMs: number, halfLifeDays: number): number {
  const ageDays = Math.max(0, nowMs - Date.parse(occurredAt)) / DAY_MS;
  return Math.pow(0.5, ageDays / halfLifeDays);
}

/** The score at `nowMs` and the rules that contributed, largest contribution first. */
export function scoreLead(config: ScoringConfig, lead: Pick<Lead, FitAttribute>, signals: Pick<Signal, 'type' | 'occurredAt'>[], nowMs: number): LeadScore {
  const contributions: ScoreContribution[] = [];
  for (const rule of config.fit) {
    const matched = fitMatches(rule, lead);
    if (matched !== undefined) contributions.push({ rule: rule.name, kind: 'fit', points: rule.weight, detail: `${rule.attribute} = ${matched}` });
  }
  for (const rule of config.engagement) {
    const counted = signals
      .filter((s) => s.type === rule.signal && Date.parse(s.occurredAt) <= nowMs)
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
      .slice(0, rule.maxCount ?? Number.MAX_SAFE_INTEGER);
    if (counted.length === 0) continue;
    const points = counted.reduce((sum, s) => sum + rule.weight * decayFactor(s.occurredAt, nowMs, rule.halfLifeDays), 0);
    contributions.push({ rule: rule.name, kind: 'engagement', points: round(points), detail: `${counted.length} x ${rule.signal}, half-life ${rule.halfLifeDays} d` });
  }
  contributions.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { score: round(contributions.reduce((sum, c) => sum + c.points, 0)), at: new Date(nowMs).toISOString(), contributions };
}

/** The levels a score reaches, lowest first (both for a score above the SQL threshold). */
export function levelsReached(config: ScoringConfig, score: number): QualificationLevel[] {
  const levels: QualificationLevel[] = [];
  if (score >= config.thresholds.mql) levels.push('mql');
  if (score >= config.thresholds.sql) levels.push('sql');
  return levels;
}
