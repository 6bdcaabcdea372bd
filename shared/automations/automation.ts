import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { text } from '../customers/fields';
import { Conflict, type FieldError, Forbidden, NotFound, PreconditionFailed } from '../errors';
import { InvalidEventPatternError, parseEventPattern } from '../event-pattern';
import { consentTopic } from '../customers/fields';
import { offerId } from '../consent/offer-input';

/**
 * Event-triggered automations (docs/marketing.md, "Automations"): when a domain event matching
 * `eventPattern` happens to a customer, send them `templateId` under the consent `topic`, at once
 * or `delay` seconds after the event. Pure model and rules; the repository stores them, the
 * dispatcher (automation-dispatch-use-case.ts) evaluates them.
 */

/**
 * Automations per tenant. The dispatcher reads all of a tenant's automations for every one of its
 * domain events (one Query) and matches each pattern in memory: 100 keeps that read to one page
 * of a few dozen KB and the matching to well under a millisecond, whatever the tenant does.
 */
export const MAX_AUTOMATIONS = 100;
/** Up to 30 days after the event: longer waits belong to a campaign, not to a reaction. */
export const MAX_DELAY_SECONDS = 30 * 24 * 3600;
/** EventBridge's own limit on a rule's pattern (PutRule EventPattern), kept so a pattern here could be a rule there. */
export const MAX_EVENT_PATTERN_CHARS = 4096;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whom an automation mails: `subject`, the customer or lead its event names (the default), or
 * `contacts`, the people of the company customer its event names, each under their own consent.
 */
export const AUTOMATION_AUDIENCES = ['subject', 'contacts'] as const;
export type AutomationAudience = (typeof AUTOMATION_AUDIENCES)[number];
/** Contacts one event mails at most: the dispatcher sends them in the event's own invocation. */
export const MAX_CONTACTS_PER_EVENT = 50;

const templateIdSchema = z.string().check(z.regex(ID, 'Expected a template id of letters, digits, _ or -'));
const topicSchema = consentTopic();
const delaySchema = z.int().check(z.minimum(0), z.maximum(MAX_DELAY_SECONDS));
/** A JSON object; the pattern language itself is checked by `eventPatternErrors` (its messages name the part). */
const eventPatternSchema = z.record(z.string(), z.unknown());

export const createAutomationInput = z.strictObject({
  name: text(200),
  eventPattern: eventPatternSchema,
  templateId: templateIdSchema,
  topic: topicSchema,
  /** Seconds after the event's `occurredAt`; 0 (the default) sends at once. */
  delay: z.optional(delaySchema),
  enabled: z.optional(z.boolean()),
  /** The offer its mail makes: skipped for a customer under another offer's lock, and locks the customer to it (docs/marketing.md). */
  offer: z.optional(offerId()),
  audience: z.optional(z.enum(AUTOMATION_AUDIENCES)),
});
export type CreateAutomationInput = z.output<typeof createAutomationInput>;

/** JSON Merge Patch, except that `eventPattern` replaces the stored pattern whole: merging two patterns key by key would change what they mean. */
export const automationPatch = z.strictObject({
  name: z.optional(text(200)),
  eventPattern: z.optional(eventPatternSchema),
  templateId: z.optional(templateIdSchema),
  topic: z.optional(topicSchema),
  delay: z.optional(delaySchema),
  enabled: z.optional(z.boolean()),
  /** null: no longer an offer. */
  offer: z.optional(z.nullable(offerId())),
  audience: z.optional(z.enum(AUTOMATION_AUDIENCES)),
});
export type AutomationPatch = z.output<typeof automationPatch>;

export interface Automation {
  id: string;
  tenantId: string;
  name: string;
  /** An EventBridge pattern, matched against the whole bus event (`source`, `detail-type`, `detail`...). */
  eventPattern: Record<string, unknown>;
  templateId: string;
  topic: string;
  delay: number;
  enabled: boolean;
  /** The offer it makes, under the offer lock; null: not an offer. */
  offer: string | null;
  audience: AutomationAudience;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Why a pattern cannot be used, as field errors under `eventPattern` (`eventPattern.detail.amount[0]`); none when it is valid. */
export function eventPatternErrors(pattern: Record<string, unknown>): FieldError[] {
  if (JSON.stringify(pattern).length > MAX_EVENT_PATTERN_CHARS) {
    return [{ path: 'eventPattern', message: `An event pattern may have at most ${MAX_EVENT_PATTERN_CHARS} characters of JSON` }];
  }
  try {
    parseEventPattern(pattern);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError)) throw error;
    return [{ path: error.path === '(root)' ? 'eventPattern' : `eventPattern.${error.path}`, message: error.reason }];
  }
}

/** Automations mail whole segments of the tenant on their own: the roles that run marketing manage them. */
export function assertCanManageAutomations(caller: Caller): void {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins manage automations');
}

export function newAutomation(input: CreateAutomationInput, caller: Caller, id: string, nowIso: string): Automation {
  return {
    id,
    tenantId: caller.tenantId,
    name: input.name,
    eventPattern: input.eventPattern,
    templateId: input.templateId,
    topic: input.topic,
    delay: input.delay ?? 0,
    enabled: input.enabled ?? true,
    offer: input.offer ?? null,
    audience: input.audience ?? 'subject',
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

const PATCHABLE = ['name', 'eventPattern', 'templateId', 'topic', 'delay', 'enabled', 'offer', 'audience'] as const;

/** The automation after the patch, and whether anything changed (an unchanged automation keeps its version). */
export function applyAutomationPatch(before: Automation, patch: AutomationPatch, caller: Caller, nowIso: string): { after: Automation; changed: boolean } {
  const after: Automation = { ...before };
  for (const field of PATCHABLE) {
    if (patch[field] !== undefined) Object.assign(after, { [field]: patch[field] });
  }
  const changed = PATCHABLE.some((f) => JSON.stringify(after[f]) !== JSON.stringify(before[f]));
  if (!changed) return { after: before, changed };
  return { after: { ...after, updatedAt: nowIso, updatedBy: caller.userId, version: before.version + 1 }, changed };
}

export function automationView(automation: Automation) {
  const { tenantId: _tenant, ...view } = automation;
  return view;
}

export class AutomationNotFound extends NotFound {
  constructor(automationId: string) {
    super(`Automation ${automationId} not found`);
  }
}

export class AutomationLimitReached extends Conflict {
  override readonly slug = 'automation-limit-reached';
  constructor(readonly limit: number) {
    super(`A tenant may have at most ${limit} automations`);
    Object.assign(this.extensions, { limit });
  }
}

/** The automation changed since the version in If-Match; the body names the current one. */
export class StaleAutomation extends PreconditionFailed {
  constructor(readonly currentVersion: number) {
    super(`The automation has changed since the version you sent; it is now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}
