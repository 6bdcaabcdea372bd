import * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { runsMarketing } from '../access/permissions';
import { consentTopic } from '../customers/fields';
import { Forbidden } from '../errors';
import { MARKETING_SETTINGS_DEFAULTS, type MarketingSettings, WELCOME_LANGUAGES } from './marketing-settings-record';

export { defaultMarketingSettings, MARKETING_SETTINGS_DEFAULTS, type MarketingSettings, StaleMarketingSettings, WELCOME_LANGUAGES } from './marketing-settings-record';

/**
 * A tenant's marketing settings (docs/marketing.md, "Frequency cap and offer lock"): how many
 * marketing emails one customer may get in a rolling window, across campaigns and automations,
 * and how long an offer locks a customer against other offers by default.
 */

export const MARKETING_SETTINGS_LIMITS = {
  maxEmails: { min: 1, max: 100 },
  windowDays: { min: 1, max: 90 },
  offerLockDays: { min: 1, max: 90 },
} as const;

const bounded = (limits: { min: number; max: number }) => z.int().check(z.minimum(limits.min), z.maximum(limits.max));

/** The welcome mail's part; left out of a PUT (or any field of it): the default (on, built-in template, topic `marketing`). */
export const welcomeEmailInput = z.strictObject({
  enabled: z.boolean(),
  /** A template of the tenant (checked at save); null or left out: the built-in default. */
  templateId: z.optional(z.nullable(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected a template id of letters, digits, _ or -')))),
  topic: z.optional(consentTopic()),
  /** The built-in default's language (`en` when left out); a tenant's own template is in whatever language it was written. */
  language: z.optional(z.enum(WELCOME_LANGUAGES)),
});

/** PUT replaces the whole settings; `offerLockDays` left out means the default. */
export const marketingSettingsInput = z.strictObject({
  frequencyCap: z.strictObject({
    maxEmails: bounded(MARKETING_SETTINGS_LIMITS.maxEmails),
    windowDays: bounded(MARKETING_SETTINGS_LIMITS.windowDays),
  }),
  offerLockDays: z.optional(bounded(MARKETING_SETTINGS_LIMITS.offerLockDays)),
  /** Off when left out: consent captured with leads is granted at once. */
  doubleOptIn: z.optional(z.boolean()),
  welcomeEmail: z.optional(welcomeEmailInput),
});
export type MarketingSettingsInput = z.output<typeof marketingSettingsInput>;

/** The settings a PUT stores over `before`: the whole input replaces them, one version up. */
export function replacedMarketingSettings(before: MarketingSettings, input: MarketingSettingsInput, caller: Caller, nowIso: string): MarketingSettings {
  return {
    tenantId: before.tenantId,
    frequencyCap: { maxEmails: input.frequencyCap.maxEmails, windowDays: input.frequencyCap.windowDays },
    offerLockDays: input.offerLockDays ?? MARKETING_SETTINGS_DEFAULTS.offerLockDays,
    doubleOptIn: input.doubleOptIn ?? false,
    welcomeEmail: {
      enabled: input.welcomeEmail?.enabled ?? MARKETING_SETTINGS_DEFAULTS.welcomeEmail.enabled,
      templateId: input.welcomeEmail?.templateId ?? null,
      topic: input.welcomeEmail?.topic ?? MARKETING_SETTINGS_DEFAULTS.welcomeEmail.topic,
      language: input.welcomeEmail?.language ?? MARKETING_SETTINGS_DEFAULTS.welcomeEmail.language,
    },
    version: before.version + 1,
    updatedAt: nowIso,
    updatedBy: caller.userId,
  };
}

/** The response body: the settings, and whether they are the defaults (never saved). */
export function marketingSettingsView(settings: MarketingSettings) {
  return {
    frequencyCap: settings.frequencyCap,
    offerLockDays: settings.offerLockDays,
    doubleOptIn: settings.doubleOptIn,
    welcomeEmail: settings.welcomeEmail,
    isDefault: settings.version === 0,
    version: settings.version,
    updatedAt: settings.updatedAt,
    updatedBy: settings.updatedBy,
  };
}

export function assertCanWriteMarketingSettings(caller: Caller): void {
  if (!runsMarketing(caller)) throw new Forbidden('Only marketers and admins may change marketing settings');
}
