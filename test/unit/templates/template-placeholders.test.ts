import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/contacts/contact';
import { type Customer, newCustomer } from '../../../shared/customers/customer';
import { checkPlaceholders, renderTemplate, sesTemplateContent, templateData, withUnsubscribeLink } from '../../../shared/templates/template-placeholders';

const caller = { userId: 'm-1', tenantId: 't1', groups: ['marketer' as const] };
const customer: Customer = {
  ...newCustomer({ name: 'Ada & <Co>', emails: ['ada@example.com'], industry: 'Software', tags: [] }, caller, 'C1', '2026-01-01T00:00:00.000Z'),
  customFields: { tier: 'gold', modules: ['crm', 'billing'], seats: 25 },
};
const contact = { id: 'K1', customerId: 'C1', name: 'Bob "B"', title: 'CTO', emails: ['bob@example.com'], phones: [] } as unknown as Contact;
const content = (html: string, subject = 'Hi', text = 'Hi') => ({ subject, html, text });

describe('checkPlaceholders', () => {
  it('accepts known customer, contact and defined custom fields, with or without spaces', () => {
    const result = checkPlaceholders(content('<p>{{ customer.name }} {{contact.title}}</p>', 'For {{customer.customFields.tier}}'), new Set(['tier']));
    expect(result).toEqual({ placeholders: ['contact.title', 'customer.customFields.tier', 'customer.name'], errors: [] });
  });

  it('names the part holding an unknown field or an undefined custom field', () => {
    const { errors } = checkPlaceholders(content('{{customer.shoeSize}}', 'Hi {{customer.customFields.nope}}'), new Set(['tier']));
    expect(errors.map((e) => e.path)).toEqual(['subject', 'html']);
    expect(errors[1]?.message).toContain('{{customer.shoeSize}}');
  });

  it('refuses helpers, blocks, triple braces and escaped mustaches', () => {
    for (const html of ['{{#if customer.name}}x{{/if}}', '{{{customer.name}}}', '\\{{customer.name}}', '{{> partial}}', 'a {{ b']) {
      expect(checkPlaceholders(content(html), new Set()).errors.map((e) => e.path), html).toEqual(['html']);
    }
  });

  it('leaves single braces and plain text alone', () => {
    expect(checkPlaceholders(content('<style>p { color: red }</style> }} done'), new Set()).errors).toEqual([]);
  });
});

describe('templateData and renderTemplate', () => {
  it('escapes values in the html part only and renders missing values empty', () => {
    const template = content('<p>{{customer.name}} / {{contact.name}} / {{customer.region}}</p>', 'Hello {{customer.name}}', 'Dear {{contact.name}}');
    const { placeholders } = checkPlaceholders(template, new Set());
    const rendered = renderTemplate(template, templateData(placeholders, customer, contact));

    expect(rendered).toEqual({
      subject: 'Hello Ada & <Co>',
      html: '<p>Ada &#38; &#60;Co&#62; / Bob &#34;B&#34; / </p>',
      text: 'Dear Bob "B"',
    });
  });

  it('gives every placeholder a string (SES refuses missing attributes) and joins lists', () => {
    const data = templateData(['customer.customFields.modules', 'customer.customFields.seats', 'contact.title'], customer, null);
    expect(data).toEqual({
      customer: { customFields: { modules: 'crm, billing', seats: '25' } },
      contact: { title: '' },
      unsubscribeUrl: '',
      html: { customer: { customFields: { modules: 'crm, billing', seats: '25' } }, contact: { title: '' }, unsubscribeUrl: '' },
    });
  });

  it('always carries the unsubscribe link, escaped for the html part', () => {
    const data = templateData([], customer, null, 'https://api.example/unsubscribe/a.b?x=1&y=2');
    expect(data).toEqual({ unsubscribeUrl: 'https://api.example/unsubscribe/a.b?x=1&y=2', html: { unsubscribeUrl: 'https://api.example/unsubscribe/a.b?x=1&#38;y=2' } });
  });

  it('adds an unsubscribe footer to a part that does not place {{unsubscribeUrl}} itself', () => {
    const placed = { subject: 'Hi', html: '<a href="{{unsubscribeUrl}}">Stop</a>', text: 'Stop: {{ unsubscribeUrl }}' };
    expect(withUnsubscribeLink(placed)).toEqual(placed);
    const bare = withUnsubscribeLink({ subject: 'Hi', html: '<p>Offer</p>', text: 'Offer' });
    expect(bare.subject).toBe('Hi');
    expect(bare.html).toMatch(/^<p>Offer<\/p>\n<p[^>]*><a href="\{\{unsubscribeUrl\}\}">Unsubscribe<\/a>/);
    expect(bare.text).toMatch(/^Offer\n\nUnsubscribe from these emails: \{\{unsubscribeUrl\}\}\n$/);
    expect(checkPlaceholders(bare, new Set()).errors).toEqual([]);
  });

  it('compiles for SES with raw output, the html part reading the escaped copy', () => {
    expect(sesTemplateContent(content('<b>{{ customer.name }}</b> {{unsubscribeUrl}}', '{{customer.name}}!', '{{contact.name}} {{unsubscribeUrl}}'))).toEqual({
      subject: '{{{customer.name}}}!',
      html: '<b>{{{html.customer.name}}}</b> {{{html.unsubscribeUrl}}}',
      text: '{{{contact.name}}} {{{unsubscribeUrl}}}',
    });
  });
});
