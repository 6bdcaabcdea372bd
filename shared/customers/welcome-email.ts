import type { Activity } from '../activities/activity';
import type { SendableTemplate } from '../consent/marketing-send';
import type { MarketingSendRequest } from '../consent/marketing-send-use-case';
import type { WelcomeEmailSettings } from '../consent/marketing-settings-record';

/**
 * The welcome mail's own rules (docs/marketing.md, "Welcome mail"). It is a marketing mail like
 * any other: the use case (welcome-email-use-case.ts) sends it through the one marketing send.
 */

/** The side effect's name (marker `$DONE#welcome-email`), its frequency-cap send id and its `kind` tag. */
export const WELCOME_EMAIL_EFFECT = 'welcome-email';

/**
 * What a tenant that has no welcome template of its own sends. It has the placeholders of any
 * template and gets the same unsubscribe footer; a marketer replaces it by saving a template and
 * naming it in the marketing settings (`welcomeEmail.templateId`).
 */
export const DEFAULT_WELCOME_TEMPLATE: SendableTemplate = {
  id: 'welcome-default',
  subject: 'Welcome, {{customer.name}}',
  html: '<p>Hello {{customer.name}},</p><p>thank you for your interest. We will keep you posted.</p>',
  text: 'Hello {{customer.name}},\n\nthank you for your interest. We will keep you posted.\n',
  placeholders: ['customer.name'],
};

/** What the tenant's settings make of a new customer's welcome: nothing (switched off), or which template under which topic. */
export function welcomeEmailPlan(settings: WelcomeEmailSettings): { skip: 'switched-off' } | { template: MarketingSendRequest['template']; topic: string } {
  if (!settings.enabled) return { skip: 'switched-off' };
  return { template: settings.templateId ? { templateId: settings.templateId } : { builtIn: DEFAULT_WELCOME_TEMPLATE }, topic: settings.topic };
}

/** The timeline entry of a sent welcome mail: an `email` by the system actor `welcome-flow`. */
export function welcomeEmailActivity(customerId: string, mail: { messageId: string; subject: string; templateId: string | null; topic: string }, id: string, nowIso: string): Activity {
  return {
    id,
    customerId,
    type: 'email',
    occurredAt: nowIso,
    subject: mail.subject,
    body: null,
    payload: { messageId: mail.messageId, direction: 'outbound', templateId: mail.templateId, topic: mail.topic },
    actor: { type: 'system', id: 'welcome-flow' },
    loggedAt: nowIso,
  };
}
