import * as z from 'zod/mini';
import type { LifecycleStage } from '../customers/customer';

/**
 * A pool's reclaim policy (issue 4, DESIGN.md section 6): when an owned customer goes back to the
 * pool, when its owner is warned, and the limits on claiming. Everything here is pure: the
 * repository and the reclaim sweep (a later step) feed in facts and a time, and store the results
 * (`reclaimAt` is the sort key of the sparse GSI2 reclaim index).
 */

export const DAY_MS = 86_400_000;
export const MAX_RULE_DAYS = 3650;
export const MAX_LEVELS = 20;

const wholeNumber = (min: number, max: number, unit: string) => {
  const message = `Expected whole ${unit} from ${min} to ${max}`;
  return z.int(message).check(z.minimum(min, message), z.maximum(max, message));
};

const ruleDays = wholeNumber(1, MAX_RULE_DAYS, 'days');

/** Same shape as a customer's `level` (a free string such as A, B, C), matched exactly. */
const levelKey = z.string().check(z.minLength(1, 'Expected a level such as A'), z.maxLength(16, 'A level has at most 16 characters'));

const perLevelDays = z.strictObject({
  default: ruleDays,
  byLevel: z.optional(
    z.record(levelKey, ruleDays).check(z.refine((levels) => Object.keys(levels).length <= MAX_LEVELS, `At most ${MAX_LEVELS} levels`)),
  ),
});

const THRESHOLD_HINT = `Expected whole days from 1 to ${MAX_RULE_DAYS}, or { default, byLevel: { <level>: days } }`;

interface BranchIssue {
  path: PropertyKey[];
  code: string;
  message: string;
  issues?: { message: string }[];
}

/**
 * zod names a problem deep inside the per-level form by its own path (`byLevel.A`). When it cannot
 * tell which form was meant it reports the union; an object can only mean the per-level form, so
 * name that form's first problem (a missing default, a bad level name) instead of a generic hint.
 */
function thresholdMessage(issue: { input?: unknown; errors?: unknown }): string {
  const meantPerLevel = typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input);
  const first = Array.isArray(issue.errors) ? (issue.errors[1] as BranchIssue[] | undefined)?.[0] : undefined;
  if (!meantPerLevel || !first) return THRESHOLD_HINT;
  const message = first.code === 'invalid_key' ? (first.issues?.[0]?.message ?? first.message) : first.message;
  return `${first.path.map(String).join('.')}: ${message}`;
}

/** N days for every customer (`30`), or per customer level with a default (`{ default: 30, byLevel: { A: 60 } }`). */
export const ruleThreshold = z.union([ruleDays, perLevelDays], { error: thresholdMessage });
export type RuleThreshold = z.output<typeof ruleThreshold>;

/** The rules in their tie-break order: when two fall due at the same instant, the first is reported. */
export const RECLAIM_RULES = ['noFollowUpDays', 'noOpenDealDays', 'noWonDealDays'] as const;
export type ReclaimRule = (typeof RECLAIM_RULES)[number];

const rulesSchema = z
  .strictObject({
    noFollowUpDays: z.optional(ruleThreshold),
    noOpenDealDays: z.optional(ruleThreshold),
    noWonDealDays: z.optional(ruleThreshold),
  })
  .check(
    z.refine(
      (rules) => RECLAIM_RULES.some((rule) => rules[rule] !== undefined),
      `Enable at least one rule: ${RECLAIM_RULES.join(', ')}`,
    ),
  );

/** Both exemptions are on unless a tenant turns them off: losing a locked or paying customer hurts most. */
const exemptSchema = z._default(
  z.strictObject({
    locked: z._default(z.boolean(), true),
    closedWon: z._default(z.boolean(), true),
  }),
  { locked: true, closedWon: true },
);

/**
 * The most customers one claim request may take: a bulk claim is one transaction of at most 100
 * items, 3 per customer (profile, history, event) plus the rep's counters.
 */
export const MAX_CLAIMS_PER_REQUEST = 30;

const claimLimitsSchema = z
  .strictObject({
    perRequest: wholeNumber(1, MAX_CLAIMS_PER_REQUEST, 'customers'),
    perRepPerDay: wholeNumber(1, 10_000, 'customers'),
    maxOwnedPerRep: wholeNumber(1, 100_000, 'customers'),
    maxLockedPerRep: wholeNumber(0, 100_000, 'customers'),
  })
  .check(
    z.superRefine((limits, ctx) => {
      // A request larger than the daily cap could never succeed: reject the policy, not every claim.
      if (Number.isInteger(limits.perRequest) && Number.isInteger(limits.perRepPerDay) && limits.perRequest > limits.perRepPerDay) {
        ctx.addIssue({ code: 'custom', path: ['perRequest'], input: limits.perRequest, message: `Must not exceed perRepPerDay (${limits.perRepPerDay})` });
      }
    }),
  );

/** Every valid N of every rule (defaults and levels); invalid values are skipped, their own issue reports them. */
export function ruleDayValues(rules: Partial<Record<ReclaimRule, unknown>>): number[] {
  const values: unknown[] = [];
  for (const rule of RECLAIM_RULES) {
    const threshold = rules[rule];
    if (typeof threshold === 'number') values.push(threshold);
    else if (threshold && typeof threshold === 'object') {
      const { default: fallback, byLevel } = threshold as { default?: unknown; byLevel?: Record<string, unknown> };
      values.push(fallback, ...Object.values(byLevel ?? {}));
    }
  }
  return values.filter((n): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_RULE_DAYS);
}

export const reclaimPolicySchema = z
  .strictObject({
    rules: rulesSchema,
    exempt: exemptSchema,
    /** D: the owner is warned D days before the reclaim; 0 sends no warning. */
    warningDaysBefore: wholeNumber(0, 365, 'days'),
    claimLimits: claimLimitsSchema,
    /** M: the previous owner may not claim the customer back for M days after it was released. */
    reclaimCooldownDays: wholeNumber(0, 365, 'days'),
  })
  .check(
    z.superRefine((policy, ctx) => {
      // A warning at or before the start of the clock would reach the owner the moment they get the customer.
      const shortest = Math.min(...ruleDayValues(policy.rules ?? {}));
      if (Number.isInteger(policy.warningDaysBefore) && policy.warningDaysBefore >= shortest) {
        ctx.addIssue({
          code: 'custom',
          path: ['warningDaysBefore'],
          input: policy.warningDaysBefore,
          message: `Must be less than the shortest reclaim period (${shortest} days)`,
        });
      }
    }),
  );
export type ReclaimPolicy = z.output<typeof reclaimPolicySchema>;
export type ReclaimPolicyInput = z.input<typeof reclaimPolicySchema>;

/**
 * What the reclaim rules read about one customer. Deal facts are optional until the deals issue
 * fills them; missing ones mean "no deal ever", so every deal clock runs from the assignment.
 */
export interface ReclaimFacts {
  /** null: the customer is in a pool, nothing to reclaim. */
  ownerId: string | null;
  /** When the current owner got the customer (claim, assignment, or creation by a rep). */
  assignedAt: string | null;
  lastFollowUpAt: string | null;
  /** Picks N from `byLevel`; null or an unlisted level takes the rule's default. */
  level: string | null;
  locked: boolean;
  lifecycleStage: LifecycleStage;
  /** An open deal exists right now: the "no open deal" clock is stopped. */
  hasOpenDeal?: boolean;
  /** The last time the customer had an open deal (when its last open deal was won, lost or deleted). */
  lastOpenDealAt?: string | null;
  /** When a deal of this customer was last won. */
  lastWonDealAt?: string | null;
}

/** Stages of a customer that has bought (the deals issue moves a customer here on a won deal). */
export const CLOSED_WON_STAGES: readonly LifecycleStage[] = ['customer', 'evangelist'];

export const isClosedWon = (facts: Pick<ReclaimFacts, 'lifecycleStage'>) => CLOSED_WON_STAGES.includes(facts.lifecycleStage);

/** Why a customer is never reclaimed under this policy, or null when it can be. */
export function exemption(facts: ReclaimFacts, policy: ReclaimPolicy): 'locked' | 'closed-won' | null {
  if (policy.exempt.locked && facts.locked) return 'locked';
  if (policy.exempt.closedWon && isClosedWon(facts)) return 'closed-won';
  return null;
}

/** N for a customer of this level. */
export function thresholdDays(threshold: RuleThreshold, level: string | null): number {
  if (typeof threshold === 'number') return threshold;
  return (level !== null ? threshold.byLevel?.[level] : undefined) ?? threshold.default;
}

const ms = (iso: string) => Date.parse(iso);
const latest = (...times: (string | null | undefined)[]) => Math.max(...times.filter((t): t is string => !!t).map(ms));

/**
 * When a rule's clock started, in ms, or null while it cannot run. Every clock starts no earlier
 * than the assignment: a new owner gets the full N days whatever happened before.
 */
function clockStart(rule: ReclaimRule, facts: ReclaimFacts & { assignedAt: string }): number | null {
  switch (rule) {
    case 'noFollowUpDays':
      return latest(facts.assignedAt, facts.lastFollowUpAt);
    case 'noOpenDealDays':
      return facts.hasOpenDeal ? null : latest(facts.assignedAt, facts.lastOpenDealAt);
    case 'noWonDealDays':
      return latest(facts.assignedAt, facts.lastWonDealAt);
  }
}

export interface ReclaimSchedule {
  /** The customer is due once `now` is strictly later (`now - start > N days`). */
  reclaimAt: string;
  /** The rule that falls due first, and its N for this customer: the owner's warning names them. */
  rule: ReclaimRule;
  days: number;
}

/** The earliest enabled rule decides; null for an unowned or exempt customer, or when no clock runs. */
export function reclaimSchedule(facts: ReclaimFacts, policy: ReclaimPolicy): ReclaimSchedule | null {
  if (facts.ownerId === null || facts.assignedAt === null || exemption(facts, policy) !== null) return null;
  const owned = { ...facts, assignedAt: facts.assignedAt };
  let best: { at: number; rule: ReclaimRule; days: number } | null = null;
  for (const rule of RECLAIM_RULES) {
    const threshold = policy.rules[rule];
    const start = threshold === undefined ? null : clockStart(rule, owned);
    if (threshold === undefined || start === null) continue;
    const days = thresholdDays(threshold, facts.level);
    const at = start + days * DAY_MS;
    if (best === null || at < best.at) best = { at, rule, days };
  }
  return best && { reclaimAt: new Date(best.at).toISOString(), rule: best.rule, days: best.days };
}

export function reclaimAt(facts: ReclaimFacts, policy: ReclaimPolicy): string | null {
  return reclaimSchedule(facts, policy)?.reclaimAt ?? null;
}

/** Strictly after `reclaimAt`, as in `now - max(lastFollowUpAt, assignedAt) > N`. */
export function isDue(facts: ReclaimFacts, policy: ReclaimPolicy, nowIso: string): boolean {
  const at = reclaimAt(facts, policy);
  return at !== null && ms(nowIso) > ms(at);
}

/** `reclaimAt - D days`; null when there is nothing to warn about or D is 0. */
export function warningAt(facts: ReclaimFacts, policy: ReclaimPolicy): string | null {
  const at = reclaimAt(facts, policy);
  if (at === null || policy.warningDaysBefore === 0) return null;
  return new Date(ms(at) - policy.warningDaysBefore * DAY_MS).toISOString();
}

/**
 * One cycle = one assignment and one deadline. A follow-up, a deal or a policy change that moves
 * the deadline starts a new cycle (the owner hears of the new date); so does a new assignment,
 * even one that happens to land on the same deadline. Store it on the customer when warning.
 */
export function reclaimCycleId(facts: ReclaimFacts, policy: ReclaimPolicy): string | null {
  const at = reclaimAt(facts, policy);
  return at === null ? null : `${facts.assignedAt}/${at}`;
}

/**
 * Warn once per cycle, from `warningAt` until the reclaim itself; once due the sweep reclaims and
 * a warning would come too late. `warnedForCycle` is the cycle id stored with the last warning.
 */
export function needsWarning(facts: ReclaimFacts, policy: ReclaimPolicy, nowIso: string, warnedForCycle: string | null): boolean {
  const warnAt = warningAt(facts, policy);
  if (warnAt === null || warnedForCycle === reclaimCycleId(facts, policy)) return false;
  return ms(nowIso) >= ms(warnAt) && !isDue(facts, policy, nowIso);
}
