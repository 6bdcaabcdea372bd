import type { Activity } from '../activities/activity';
import type { SendableTemplate } from '../consent/marketing-send';
import type { MarketingSendRequest } from '../consent/marketing-send-use-case';
import type { WelcomeEmailSettings, WelcomeLanguage } from '../consent/marketing-settings-record';

/**
 * The welcome mail's own rules (docs/marketing.md, "Welcome mail"). It is a marketing mail like
 * any other: the use case (welcome-email-use-case.ts) sends it through the one marketing send.
 */

/** The side effect's name (marker `$DONE#welcome-email`), its frequency-cap send id and its `kind` tag. */
export const WELCOME_EMAIL_EFFECT = 'welcome-email';

/** The built-in welcome's words per language: a greeting line, a salutation and one sentence. */
const WELCOME_WORDS: Record<WelcomeLanguage, { subject: string; hello: string; body: string }> = {
  en: { subject: 'Welcome, {{customer.name}}', hello: 'Hello {{customer.name}},', body: 'thank you for your interest. We will keep you posted.' },
  de: { subject: 'Willkommen, {{customer.name}}', hello: 'Hallo {{customer.name}},', body: 'vielen Dank für Ihr Interesse. Wir halten Sie auf dem Laufenden.' },
  fr: { subject: 'Bienvenue, {{customer.name}}', hello: 'Bonjour {{customer.name}},', body: 'merci de votre intérêt. Nous vous tiendrons informé(e).' },
  es: { subject: 'Bienvenido/a, {{customer.name}}', hello: 'Hola {{customer.name}}:', body: 'gracias por su interés. Le mantendremos informado/a.' },
  zh: { subject: '欢迎您，{{customer.name}}', hello: '{{customer.name}}，您好：', body: '感谢您的关注，我们会及时与您联系。' },
};

/**
 * What a tenant that has no welcome template of its own sends, in the settings' `language`. It has
 * the placeholders of any template and gets the same unsubscribe footer (in English, like the
 * unsubscribe page); a marketer replaces it by saving a template in any language and naming it in
 * the marketing settings (`welcomeEmail.templateId`).
 */
export function defaultWelcomeTemplate(language: WelcomeLanguage): SendableTemplate {
  const words = WELCOME_WORDS[language];
  return {
    id: `welcome-default-${language}`,
    subject: words.subject,
    html: `<p>${words.hello}</p><p>${words.body}</p>`,
    text: `${words.hello}\n\n${words.body}\n`,
    placeholders: ['customer.name'],
  };
}

/** What the tenant's settings make of a new customer's welcome: nothing (switched off), or which template under which topic. */
export function welcomeEmailPlan(settings: WelcomeEmailSettings): { skip: 'switched-off' } | { template: MarketingSendRequest['template']; topic: string } {
  if (!settings.enabled) return { skip: 'switched-off' };
  return { template: settings.templateId ? { templateId: settings.templateId } : { builtIn: defaultWelcomeTemplate(settings.language) }, topic: settings.topic };
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
