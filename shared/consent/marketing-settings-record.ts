import { PreconditionFailed } from '../errors';
import type { FrequencyCap } from './frequency-cap';

/**
 * A tenant's stored marketing settings and their defaults: what the settings repository and the
 * senders need, apart from the API's input schema (marketing-settings.ts), so senders do not load it.
 */

/** What a tenant that never saved settings gets: a common deliverability rule of thumb, not a law. */
export const MARKETING_SETTINGS_DEFAULTS = {
  frequencyCap: { maxEmails: 3, windowDays: 7 },
  offerLockDays: 14,
  doubleOptIn: false,
  // `marketing`: the welcome mail goes out at creation, so the only consent it can rely on is what was
  // captured with the record, and forms and leads ask for `marketing` (docs/marketing.md, "Welcome mail").
  welcomeEmail: { enabled: true, templateId: null, topic: 'marketing', language: 'en' },
} as const satisfies { frequencyCap: FrequencyCap; offerLockDays: number; doubleOptIn: boolean; welcomeEmail: WelcomeEmailSettings };

/** The languages the built-in welcome mail is written in. */
export const WELCOME_LANGUAGES = ['en', 'de', 'fr', 'es', 'zh'] as const;
export type WelcomeLanguage = (typeof WELCOME_LANGUAGES)[number];

/**
 * The welcome mail of a new customer: on or off, the tenant's template (null: the built-in
 * default, in `language`), and its consent topic.
 */
export interface WelcomeEmailSettings {
  enabled: boolean;
  templateId: string | null;
  topic: string;
  language: WelcomeLanguage;
}

export interface MarketingSettings {
  tenantId: string;
  frequencyCap: FrequencyCap;
  offerLockDays: number;
  /** Consent captured with a lead is granted only once the person follows the link of a confirmation mail (docs/leads.md#double-opt-in). */
  doubleOptIn: boolean;
  welcomeEmail: WelcomeEmailSettings;
  /** 0 while the tenant has never saved settings (the defaults apply); the ETag is this number in quotes. */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export function defaultMarketingSettings(tenantId: string): MarketingSettings {
  return { tenantId, frequencyCap: { ...MARKETING_SETTINGS_DEFAULTS.frequencyCap }, offerLockDays: MARKETING_SETTINGS_DEFAULTS.offerLockDays, doubleOptIn: false, welcomeEmail: { ...MARKETING_SETTINGS_DEFAULTS.welcomeEmail }, version: 0, updatedAt: null, updatedBy: null };
}

/** The settings changed since the version in If-Match; the body names the current one. */
export class StaleMarketingSettings extends PreconditionFailed {
  constructor(readonly currentVersion: number) {
    super(`The marketing settings have changed since the version you sent; they are now at version ${currentVersion}`);
    Object.assign(this.extensions, { currentVersion, currentETag: `"${currentVersion}"` });
  }
}
