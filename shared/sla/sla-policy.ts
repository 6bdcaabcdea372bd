import * as z from 'zod/mini';
import { text } from '../customers/fields';
import { businessCalendarSchema } from './business-calendar';

/**
 * An SLA policy, the body of `PUT /sla-policies/{policyId}` (docs/service.md, SLA clock): response and
 * resolution targets in business minutes per case priority, optionally other ones for a customer
 * level, counted on the policy's own calendar. Pure: schema and the lookup of a case's targets.
 */

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];

/** A year of round-the-clock minutes: a longer target is a typo. */
export const MAX_TARGET_MINUTES = 525_600;
const MAX_LEVELS = 20;

const minutes = z.int().check(z.minimum(1, 'Expected at least 1 business minute'), z.maximum(MAX_TARGET_MINUTES, `At most ${MAX_TARGET_MINUTES} minutes`));

const targets = z.strictObject({
  firstResponseMinutes: minutes,
  /** After each customer message, until the next agent reply. */
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
});
export type SlaTargets = z.output<typeof targets>;

/** A level changes only the figures it names; the rest come from the priority's targets. */
const targetOverride = z.partial(targets);

const byPriority = <T extends z.ZodMiniType>(schema: T) =>
  z.strictObject({ low: schema, normal: schema, high: schema, urgent: schema });

export const slaPolicySchema = z.strictObject({
  name: text(100),
  calendar: businessCalendarSchema,
  targets: byPriority(targets),
  /** Keyed by customer level as customers carry it (`level`, e.g. `gold`). */
  levelOverrides: z._default(
    z.record(text(16), z.partial(byPriority(targetOverride))).check(
      z.refine((levels) => Object.keys(levels).length <= MAX_LEVELS, `At most ${MAX_LEVELS} levels`),
    ),
    {},
  ),
  /** Share of a target used when a warning of the coming breach goes out. */
  warningPercentUsed: z._default(z.int().check(z.minimum(1), z.maximum(99)), 80),
});
export type SlaPolicy = z.output<typeof slaPolicySchema>;

/** A case's targets: its priority's, with what its customer's level overrides. */
export function targetsFor(policy: Pick<SlaPolicy, 'targets' | 'levelOverrides'>, priority: CasePriority, level?: string | null): SlaTargets {
  const override = level ? policy.levelOverrides[level]?.[priority] : undefined;
  return { ...policy.targets[priority], ...override };
}
