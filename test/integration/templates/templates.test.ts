import { GetEmailTemplateCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { call, stack } from '../client';
import { createCustomer, marketingTenant } from '../marketing-fixtures';

interface Template {
  id: string;
  version: number;
  placeholders: string[];
  sesTemplateName: string;
  subject: string;
  html: string;
  text: string;
}
interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}

/** The template as the SES stand-in holds it. */
async function sesTemplate(name: string) {
  const ses = new SESv2Client({ endpoint: stack().mailUrl, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return (await ses.send(new GetEmailTemplateCommand({ TemplateName: name }))).TemplateContent;
}

const TEMPLATE = {
  name: 'Spring offer',
  subject: 'Hello {{customer.name}}',
  html: '<p>Dear {{ customer.name }} ({{customer.customFields.tier}}), {{contact.name}}</p>',
  text: 'Dear {{customer.name}}',
};

describe('templates', () => {
  it('a marketer creates a template; it is stored and becomes an SES template with escaped html placeholders', async () => {
    const { marketer, rep } = await marketingTenant();
    const created = await call<Template>('POST', '/templates', { token: marketer, body: TEMPLATE });

    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body.placeholders).toEqual(['contact.name', 'customer.customFields.tier', 'customer.name']);
    expect(created.body.sesTemplateName).toMatch(/^crm_local_[0-9a-f]{12}_[0-9A-Z]{26}$/);
    expect(await sesTemplate(created.body.sesTemplateName)).toEqual({
      Subject: 'Hello {{{customer.name}}}',
      // The template places no unsubscribe link: SES gets the footer with it (docs/marketing.md).
      Html: '<p>Dear {{{html.customer.name}}} ({{{html.customer.customFields.tier}}}), {{{html.contact.name}}}</p>\n<p style="font-size:12px;color:#666"><a href="{{{html.unsubscribeUrl}}}">Unsubscribe</a> from these emails.</p>',
      Text: 'Dear {{{customer.name}}}\n\nUnsubscribe from these emails: {{{unsubscribeUrl}}}\n',
    });
    // Anyone of the tenant reads templates; the list leaves the bodies out.
    expect((await call<Template>('GET', `/templates/${created.body.id}`, { token: rep })).body.html).toBe(TEMPLATE.html);
    const list = await call<{ items: Record<string, unknown>[] }>('GET', '/templates', { token: rep });
    expect(list.body.items.map((t) => [t.id, 'html' in t])).toEqual([[created.body.id, false]]);
  });

  it('answers 400 naming the part with an unknown placeholder, and 403 to a rep', async () => {
    const { marketer, rep } = await marketingTenant();
    const bad = await call<Problem>('POST', '/templates', { token: marketer, body: { ...TEMPLATE, text: 'Hi {{customer.shoeSize}} {{customer.customFields.nope}}' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['text', 'text']);
    expect(bad.body.errors?.[0]?.message).toContain('{{customer.shoeSize}}');
    expect((await call('POST', '/templates', { token: rep, body: TEMPLATE })).status).toBe(403);
  });

  it('PATCH needs the current version, and updates the SES template', async () => {
    const { marketer, rep } = await marketingTenant();
    const { body: template } = await call<Template>('POST', '/templates', { token: marketer, body: TEMPLATE });
    const patch = (version: string | undefined, body: Record<string, unknown>, token = marketer) =>
      call<Template & Problem>('PATCH', `/templates/${template.id}`, { token, body, contentType: 'application/merge-patch+json', headers: version ? { 'if-match': version } : {} });

    expect((await patch(undefined, { subject: 'x' })).status).toBe(428);
    // A caller who may not write templates hears so before anything about If-Match.
    expect((await patch(undefined, { subject: 'x' }, rep)).status).toBe(403);
    const updated = await patch('"1"', { subject: 'News for {{customer.name}}' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('"2"');
    const stale = await patch('"1"', { subject: 'Again' });
    expect([stale.status, stale.body.currentVersion]).toEqual([412, 2]);
    expect((await patch('"2"', { html: '{{#if customer.name}}x{{/if}}' })).body.errors?.map((e) => e.path)).toEqual(['html']);
    expect((await sesTemplate(template.sesTemplateName))?.Subject).toBe('News for {{{customer.name}}}');
  });

  it('previews for a customer the caller may read, escaping html; 404 for a customer the caller may not read', async () => {
    const { admin, marketer, rep } = await marketingTenant();
    const { body: template } = await call<Template>('POST', '/templates', { token: marketer, body: TEMPLATE });
    const customerId = await createCustomer(admin, { kind: 'company', name: 'Ada & <Sons>', customFields: { tier: 'gold' } });
    const contact = await call<{ id: string }>('POST', `/customers/${customerId}/contacts`, { token: admin, body: { name: 'Bob "B"' } });

    const preview = await call<Record<string, unknown>>('POST', `/templates/${template.id}/preview`, { token: marketer, body: { customerId, contactId: contact.body.id } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      subject: 'Hello Ada & <Sons>',
      html: '<p>Dear Ada &#38; &#60;Sons&#62; (gold), Bob &#34;B&#34;</p>\n<p style="font-size:12px;color:#666"><a href="https://unsubscribe.example/preview">Unsubscribe</a> from these emails.</p>',
      text: 'Dear Ada & <Sons>\n\nUnsubscribe from these emails: https://unsubscribe.example/preview\n',
      version: 1,
    });
    // The rep does not own this (unowned) customer.
    expect((await call('POST', `/templates/${template.id}/preview`, { token: rep, body: { customerId } })).status).toBe(404);
  });
});
