import { describe, expect, it } from 'vitest';
import { WELCOME_LANGUAGES } from '../../../shared/consent/marketing-settings-record';
import { checkPlaceholders } from '../../../shared/templates/template-placeholders';
import { defaultWelcomeTemplate, welcomeEmailPlan } from '../../../shared/customers/welcome-email';

describe('welcomeEmailPlan', () => {
  it('sends nothing when the tenant switched the welcome mail off', () => {
    expect(welcomeEmailPlan({ enabled: false, templateId: 'TPL1', topic: 'welcome', language: 'en' })).toEqual({ skip: 'switched-off' });
  });

  it("sends the tenant's template, else the built-in default in the tenant's language, under the tenant's topic", () => {
    expect(welcomeEmailPlan({ enabled: true, templateId: 'TPL1', topic: 'welcome', language: 'de' })).toEqual({ template: { templateId: 'TPL1' }, topic: 'welcome' });
    expect(welcomeEmailPlan({ enabled: true, templateId: null, topic: 'marketing', language: 'en' })).toEqual({ template: { builtIn: defaultWelcomeTemplate('en') }, topic: 'marketing' });
    expect(welcomeEmailPlan({ enabled: true, templateId: null, topic: 'marketing', language: 'de' })).toMatchObject({ template: { builtIn: { subject: 'Willkommen, {{customer.name}}' } } });
  });
});

describe('defaultWelcomeTemplate', () => {
  it.each(WELCOME_LANGUAGES)('in %s is a template a marketer could have saved: known placeholders, listed as the templates list theirs', (language) => {
    const template = defaultWelcomeTemplate(language);
    const { placeholders, errors } = checkPlaceholders(template, new Set());
    expect(errors).toEqual([]);
    expect(placeholders).toEqual(template.placeholders);
    expect(template.text).toContain('{{customer.name}}');
  });

  it('is written in each language, not the same words five times', () => {
    expect(new Set(WELCOME_LANGUAGES.map((l) => defaultWelcomeTemplate(l).subject)).size).toBe(WELCOME_LANGUAGES.length);
  });
});
