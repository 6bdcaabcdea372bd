import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { ValidationFailed } from '../errors';
import { USER_ID_PATTERN } from '../users/user';
import type { Lead, QualificationLevel } from './lead';

/**
 * Lead routing (docs/leads.md#routing): rules pick a team, the team's roster and a shared cursor
 * pick the rep. Pure; the cursor is an atomic counter in the table (the repository), which is
 * what makes round-robin exact under concurrent captures.
 */

const teamId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected a team id such as emea-sales'));
const criteria = z.optional(z.array(text(100)).check(z.minLength(1), z.maxLength(50)));

/** Speed to lead: how soon the routed rep must make first contact (their first-contact task is due then). */
const respondWithinMinutes = z.optional(z.int().check(z.minimum(1), z.maximum(7 * 24 * 60)));

/** First contact is due this soon after routing when neither the rule nor the configuration says. */
export const DEFAULT_RESPOND_WITHIN_MINUTES = 60;

const routingRule = z.strictObject({
  name: text(100),
  teamId,
  respondWithinMinutes,
  /** Every criterion given must match (case ignored); an omitted one matches anything. */
  regions: criteria,
  industries: criteria,
  products: criteria,
});

const rosterEntry = z.strictObject({
  userId: z.string().check(z.regex(USER_ID_PATTERN, 'Expected a user id')),
  /** Unavailable reps (holiday, full) keep their place in the roster but get no leads. */
  available: z.boolean(),
});

export const routingConfigInput = z.strictObject({
  rules: z.array(routingRule).check(z.maxLength(100)),
  /** Where a lead goes when no rule matches; without it such a lead stays unassigned. */
  defaultTeamId: z.optional(teamId),
  teams: z
    .array(
      z.strictObject({
        teamId,
        reps: z.array(rosterEntry).check(z.maxLength(500)),
        /** round-robin (default): strict rotation; least-loaded: the rep with the fewest open leads. */
        strategy: z.optional(z.enum(['round-robin', 'least-loaded'])),
      }),
    )
    .check(z.maxLength(100)),
  /** Response time of leads routed to the default team, and of rules that set none. */
  respondWithinMinutes,
  /** When a lead is routed: at capture, or when it first reaches MQL or SQL. */
  assignOn: z.optional(z.enum(['created', 'mql', 'sql'])),
});
export type RoutingConfig = z.output<typeof routingConfigInput>;

export function validateRoutingConfig(config: RoutingConfig): RoutingConfig {
  const known = new Set(config.teams.map((t) => t.teamId));
  const errors: { path: string; message: string }[] = [];
  if (known.size !== config.teams.length) errors.push({ path: 'teams', message: 'Each team may appear once' });
  config.rules.forEach((rule, i) => {
    if (!known.has(rule.teamId)) errors.push({ path: `rules.${i}.teamId`, message: 'Not a team of this configuration' });
  });
  if (config.defaultTeamId !== undefined && !known.has(config.defaultTeamId)) errors.push({ path: 'defaultTeamId', message: 'Not a team of this configuration' });
  if (errors.length) throw new ValidationFailed(errors);
  return config;
}

const matchesAny = (wanted: string[] | undefined, value: string | null) =>
  wanted === undefined || (value !== null && wanted.some((w) => w.toLowerCase() === value.toLowerCase()));

/** The first rule whose criteria all match, else the default team; undefined: nobody to route to. */
export function routeToTeam(
  config: RoutingConfig,
  lead: Pick<Lead, 'region' | 'industry' | 'product'>,
): { teamId: string; rule: string; respondWithinMinutes: number } | undefined {
  const rule = config.rules.find((r) => matchesAny(r.regions, lead.region) && matchesAny(r.industries, lead.industry) && matchesAny(r.products, lead.product));
  const fallback = config.respondWithinMinutes ?? DEFAULT_RESPOND_WITHIN_MINUTES;
  if (rule) return { teamId: rule.teamId, rule: rule.name, respondWithinMinutes: rule.respondWithinMinutes ?? fallback };
  return config.defaultTeamId ? { teamId: config.defaultTeamId, rule: 'default', respondWithinMinutes: fallback } : undefined;
}

export function availableReps(config: RoutingConfig, teamId: string): string[] {
  return (config.teams.find((t) => t.teamId === teamId)?.reps ?? []).filter((r) => r.available).map((r) => r.userId);
}

/**
 * Round-robin by ticket: the team's counter hands out 1, 2, 3... atomically, and ticket n goes to
 * rep (n - 1) mod size. Every rep gets one before anyone gets a second, however many captures run
 * at once.
 */
export function repForTicket(reps: string[], ticket: number): string {
  return reps[(ticket - 1) % reps.length]!;
}

export function teamStrategy(config: RoutingConfig, teamId: string): 'round-robin' | 'least-loaded' {
  return config.teams.find((t) => t.teamId === teamId)?.strategy ?? 'round-robin';
}

/**
 * The rep with the fewest open leads; ties go by the rotation the ticket gives, so concurrent
 * captures that saw the same loads spread over the tied reps instead of piling on the first.
 */
export function pickLeastLoaded(reps: string[], loads: ReadonlyMap<string, number>, ticket: number): string {
  const start = (ticket - 1) % reps.length;
  const rotated = [...reps.slice(start), ...reps.slice(0, start)];
  return rotated.reduce((best, rep) => ((loads.get(rep) ?? 0) < (loads.get(best) ?? 0) ? rep : best));
}

/** Whether a lead reaching `level` (null: just created) is due for routing under this config. */
export function routesAt(config: RoutingConfig, level: QualificationLevel | null): boolean {
  return (config.assignOn ?? 'created') === (level ?? 'created');
}
