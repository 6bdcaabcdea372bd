import { describe, expect, it } from 'vitest';
import { checkPlaceholders } from '../../../shared/templates/template-placeholders';
import { DEFAULT_WELCOME_TEMPLATE, welcomeEmailPlan } from '../../../shared/customers/welcome-email';

describe('welcomeEmailPlan', () => {
  it('sends nothing when the tenant switched the welcome mail off', () => {
    expect(welcomeEmailPlan({ enabled: false, templateId: 'TPL1', topic: 'welcome' })).toEqual({ skip: 'switched-off' });
  });

  it("sends the tenant's template, else the built-in default, under the tenant's topic", () => {
    expect(welcomeEmailPlan({ enabled: true, templateId: 'TPL1', topic: 'welcome' })).toEqual({ template: { templateId: 'TPL1' }, topic: 'welcome' });
    expect(welcomeEmailPlan({ enabled: true, templateId: null, topic: 'marketing' })).toEqual({ template: { builtIn: DEFAULT_WELCOME_TEMPLATE }, topic: 'marketing' });
  });
});

describe('DEFAULT_WELCOME_TEMPLATE', () => {
  it('is a template a marketer could have saved: known placeholders, listed as the templates list theirs', () => {
    const { placeholders, errors } = checkPlaceholders(DEFAULT_WELCOME_TEMPLATE, new Set());
    expect(errors).toEqual([]);
    expect(placeholders).toEqual(DEFAULT_WELCOME_TEMPLATE.placeholders);
  });
});
