import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { isAdmin } from '../access/permissions';
import { eventPatternErrors } from '../automations/automation';
import { Forbidden, type FieldError } from '../errors';
import { type DeliveryRules, urlRefusal } from './webhook-address';

/**
 * Webhook subscriptions (docs/integrations.md, "Webhooks"): a tenant's URL that receives the CRM
 * events its pattern matches (the automations' EventBridge pattern language), each delivery signed
 * per the Standard Webhooks specification. Pure: schemas, rules, secrets, views.
 */

export const MAX_WEBHOOKS_PER_TENANT = 25;
/** A webhook every attempt of which failed for this long is switched off, and its admins are mailed. */
export const DISABLE_AFTER_HOURS = 24;
/** How long a rotated-out secret still signs, so a receiver can switch without losing a delivery. */
export const SECRET_OVERLAP_HOURS = 24;

const url = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));
const description = z.string().check(z.trim(), z.maxLength(500));
const eventPattern = z.record(z.string(), z.unknown());

export const createWebhookInput = z.strictObject({
  url,
  /** Which events it receives: an EventBridge pattern over the bus event, e.g. `{"detail-type": ["crm.deal.won.v1"]}`. */
  eventPattern,
  description: z.optional(description),
  enabled: z.optional(z.boolean()),
});
export type CreateWebhookInput = z.output<typeof createWebhookInput>;

/** JSON Merge Patch; `eventPattern` replaces the stored pattern whole. */
export const webhookPatch = z
  .strictObject({ url: z.optional(url), eventPattern: z.optional(eventPattern), description: z.optional(z.nullable(description)), enabled: z.optional(z.boolean()) })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { message: 'Name at least one field to change', path: ['url'] }));
export type WebhookPatch = z.output<typeof webhookPatch>;

export interface SigningSecret {
  /** `whsec_<base64 of 24 random bytes>`, as the Standard Webhooks libraries take it. */
  secret: string;
  createdAt: string;
  /** When a rotated-out secret stops signing; null for the current one. */
  retiresAt: string | null;
}

export interface Webhook {
  id: string;
  tenantId: string;
  url: string;
  eventPattern: Record<string, unknown>;
  description: string | null;
  enabled: boolean;
  /** Why it was switched off by the CRM (deliveries failing too long), null when a user did or it is on. */
  disabledReason: string | null;
  /** Since when every attempt failed; null while the last one succeeded. Absent on webhooks stored before: null. */
  failingSince?: string | null;
  /** The current secret first; a rotated-out one until it retires. */
  secrets: SigningSecret[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Webhooks send the tenant's events out of the CRM: admins manage them. */
export function assertCanManageWebhooks(caller: Caller): void {
  if (!isAdmin(caller)) throw new Forbidden('Only admins manage webhooks');
}

export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Every problem of a subscription's URL and pattern, by field. */
export function webhookErrors(fields: { url?: string; eventPattern?: Record<string, unknown> }, rules: DeliveryRules): FieldError[] {
  const errors: FieldError[] = [];
  const refusal = fields.url === undefined ? undefined : urlRefusal(fields.url, rules);
  if (refusal) errors.push({ path: 'url', message: refusal });
  if (fields.eventPattern !== undefined) errors.push(...eventPatternErrors(fields.eventPattern));
  return errors;
}

export function newWebhook(input: CreateWebhookInput, ids: { id: string; tenantId: string }, caller: Caller, nowIso: string): Webhook {
  return {
    ...ids,
    url: input.url,
    eventPattern: input.eventPattern,
    description: input.description || null,
    enabled: input.enabled ?? true,
    disabledReason: null,
    failingSince: null,
    secrets: [{ secret: newSecret(), createdAt: nowIso, retiresAt: null }],
    createdAt: nowIso,
    createdBy: caller.userId,
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: 1,
  };
}

export function patchedWebhook(webhook: Webhook, patch: WebhookPatch, caller: Caller, nowIso: string): Webhook {
  const enabled = patch.enabled ?? webhook.enabled;
  return {
    ...webhook,
    url: patch.url ?? webhook.url,
    eventPattern: patch.eventPattern ?? webhook.eventPattern,
    description: patch.description === undefined ? webhook.description : patch.description || null,
    enabled,
    // Switched on again by a user: whatever switched it off is theirs to have fixed.
    disabledReason: enabled ? null : webhook.disabledReason,
    failingSince: enabled && !webhook.enabled ? null : (webhook.failingSince ?? null),
    updatedAt: nowIso,
    updatedBy: caller.userId,
    version: webhook.version + 1,
  };
}

/** A new current secret; the old one keeps signing for the overlap, then retires. Retired ones are dropped. */
export function rotatedSecrets(webhook: Webhook, nowIso: string): SigningSecret[] {
  const retiresAt = new Date(Date.parse(nowIso) + SECRET_OVERLAP_HOURS * 3_600_000).toISOString();
  const kept = webhook.secrets.filter((s) => s.retiresAt === null || s.retiresAt > nowIso).map((s) => ({ ...s, retiresAt: s.retiresAt ?? retiresAt }));
  return [{ secret: newSecret(), createdAt: nowIso, retiresAt: null }, ...kept];
}

/** The secrets that sign a delivery at `nowIso`: the current one and those not yet retired. */
export const signingSecrets = (webhook: Pick<Webhook, 'secrets'>, nowIso: string) => webhook.secrets.filter((s) => s.retiresAt === null || s.retiresAt > nowIso).map((s) => s.secret);

/**
 * What an attempt's outcome does to its webhook's health: a first failure starts the clock, a
 * success stops it, and a failure once the clock has run DISABLE_AFTER_HOURS switches it off.
 */
export function healthAfter(webhook: Pick<Webhook, 'enabled' | 'failingSince'>, succeeded: boolean, nowIso: string): 'unchanged' | 'failing' | 'recovered' | 'disable' {
  const since = webhook.failingSince ?? null;
  if (succeeded) return since === null ? 'unchanged' : 'recovered';
  if (since === null) return 'failing';
  const limit = new Date(Date.parse(since) + DISABLE_AFTER_HOURS * 3_600_000).toISOString();
  return webhook.enabled && nowIso >= limit ? 'disable' : 'unchanged';
}

export const disabledReasonOf = (failingSince: string) => `Every delivery failed since ${failingSince} (${DISABLE_AFTER_HOURS} hours or more): switched off; fix the receiver and switch it on again`;

/** The longest time range one replay may cover. */
export const MAX_REPLAY_DAYS = 31;

export const replayInput = z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });
export type ReplayInput = z.output<typeof replayInput>;

const REPLAY_NAME = /^whr-([0-9A-HJKMNP-TV-Z]{26})-([0-9a-f]{8})-[a-z0-9]{6,12}$/;

/** Eight hex digits of the tenant id's SHA-256: enough to tell another tenant's replayed events apart without a read. */
const tenantMark = (tenantId: string) => createHash('sha256').update(tenantId).digest('hex').slice(0, 8);

/**
 * A replay's name names the webhook it is for and marks its tenant: EventBridge stamps it on every
 * replayed event, and an archive replays every tenant's events of the range, so the dispatcher
 * drops the other tenants' by the mark alone (`whr-<webhook id>-<tenant mark>-<suffix>`, 52 characters of the 64 allowed).
 */
export const replayNameFor = (tenantId: string, webhookId: string, suffix: string) => `whr-${webhookId}-${tenantMark(tenantId)}-${suffix}`;

/** The webhook a replayed event is for, `other-tenant` for a webhook replay of another tenant, undefined for a replay that is not a webhook's (an operator's). */
export function replayedFor(replayName: unknown, tenantId: string): string | 'other-tenant' | undefined {
  const match = typeof replayName === 'string' ? REPLAY_NAME.exec(replayName) : null;
  if (!match) return undefined;
  return match[2] === tenantMark(tenantId) ? match[1] : 'other-tenant';
}

/** Every problem of a replay's range, by field: in order, past, at most MAX_REPLAY_DAYS. */
export function replayRangeErrors(input: ReplayInput, nowIso: string): FieldError[] {
  const from = Date.parse(input.from);
  const to = Date.parse(input.to);
  if (!(from < to)) return [{ path: 'to', message: 'Expected a time after `from`' }];
  if (to > Date.parse(nowIso)) return [{ path: 'to', message: 'A replay covers the past only' }];
  if (to - from > MAX_REPLAY_DAYS * 86_400_000) return [{ path: 'from', message: `A replay covers at most ${MAX_REPLAY_DAYS} days` }];
  return [];
}

/** A webhook's latest replay, kept so a second cannot start while it runs. */
export interface WebhookReplay {
  replayName: string;
  from: string;
  to: string;
  startedAt: string;
}

/**
 * How long a replay EventBridge does not know yet still counts as starting: its lock is taken
 * before StartReplay is called, by a route whose function times out well within this.
 */
export const REPLAY_START_GRACE_SECONDS = 60;

/** EventBridge's replay states that end a replay; the others (STARTING, RUNNING, CANCELLING) are still sending events. */
const ENDED_REPLAY_STATES = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/**
 * Whether a webhook's latest replay still runs, by its EventBridge state (undefined: EventBridge
 * has no such replay). One it does not know is starting within the grace, and after it was
 * abandoned (its function failed before or while calling StartReplay).
 */
export function replayStillRuns(replay: Pick<WebhookReplay, 'startedAt'>, state: string | undefined, nowIso: string): boolean {
  if (state !== undefined) return !ENDED_REPLAY_STATES.has(state);
  return Date.parse(nowIso) < Date.parse(replay.startedAt) + REPLAY_START_GRACE_SECONDS * 1000;
}

/** What GET answers: never a secret (POST and rotation answer the new one, once). */
export function webhookView(webhook: Webhook) {
  return {
    id: webhook.id,
    url: webhook.url,
    eventPattern: webhook.eventPattern,
    description: webhook.description,
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    failingSince: webhook.failingSince ?? null,
    secretRotatedAt: webhook.secrets[0]?.createdAt ?? null,
    previousSecretRetiresAt: webhook.secrets[1]?.retiresAt ?? null,
    createdAt: webhook.createdAt,
    createdBy: webhook.createdBy,
    updatedAt: webhook.updatedAt,
    updatedBy: webhook.updatedBy,
    version: webhook.version,
  };
}
