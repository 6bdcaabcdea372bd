import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

// Automations whose audience is `contacts` (docs/marketing.md, "Contacts as recipients of
// automations"): an event about a company customer mails the people of that company, each under
// their own consent and cap; the mail lands on the company's timeline naming the contact.

interface Mail {
  messageId: string;
  to: string[];
  subject: string;
  headers: { name: string; value: string }[];
}
interface Activity {
  type: string;
  payload: Record<string, unknown> | null;
}

async function companyWithPeople() {
  const tenant = newTenant();
  const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const current = await call('GET', '/marketing-settings', { token: marketer });
  expect((await call('PUT', '/marketing-settings', { token: marketer, body: { frequencyCap: { maxEmails: 5, windowDays: 7 }, welcomeEmail: { enabled: false } }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
  const company = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Acme Trading', kind: 'company', emails: [uniqueEmail('acme')], consent: { marketing: true } } });
  expect(company.status).toBe(201);
  const person = async (name: string, consent: boolean) => {
    const email = uniqueEmail(name.toLowerCase());
    const res = await call<{ id: string }>('POST', `/customers/${company.body.id}/contacts`, { token: admin, body: { name, emails: [email], consent: { marketing: consent } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, email };
  };
  const bo = await person('Bo', true);
  const cy = await person('Cy', false);
  const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'Thanks', subject: `Thank you, {{contact.name}} of {{customer.name}} ${tenant}`, html: '<p>Hi {{contact.name}}</p>', text: 'Hi {{contact.name}}' } });
  expect(template.status).toBe(201);
  await settle();
  const mails = async () => (await call<{ emails: Mail[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.endsWith(tenant));
  return { tenant, marketer, admin, companyId: company.body.id, bo, cy, templateId: template.body.id, mails };
}

describe('automations that mail a company’s contacts', () => {
  it('mail each consenting contact once when the company becomes a customer, on the company’s timeline; opens count, the link unsubscribes the contact', async () => {
    const t = await companyWithPeople();
    const created = await call<{ id: string; audience: string }>('POST', '/automations', {
      token: t.marketer,
      body: { name: 'Welcome aboard, team', eventPattern: { 'detail-type': ['crm.customer.stage-changed.v1'], detail: { data: { to: ['customer'] } } }, templateId: t.templateId, topic: 'marketing', audience: 'contacts' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.audience).toBe('contacts');

    const current = await call('GET', `/customers/${t.companyId}`, { token: t.admin });
    expect((await call('PATCH', `/customers/${t.companyId}`, { token: t.admin, body: { lifecycleStage: 'customer' }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    await settle();

    const mails = await t.mails();
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([[t.bo.email, `Thank you, Bo of Acme Trading ${t.tenant}`]]);
    const stats = async () => (await call<{ stats: { sent: number; skipped: Record<string, number>; opened: number; unsubscribed: number } }>('GET', `/automations/${created.body.id}`, { token: t.marketer })).body.stats;
    expect(await stats()).toMatchObject({ sent: 1, skipped: { 'no-consent': 1 } });

    const timeline = await call<{ items: Activity[] }>('GET', `/customers/${t.companyId}/activities`, { token: t.admin });
    const entry = timeline.body.items.find((a) => a.type === 'email' && a.payload?.automationId === created.body.id);
    expect(entry?.payload).toMatchObject({ contactId: t.bo.id, messageId: mails[0]!.messageId });

    expect((await call('POST', '/_local/ses-events', { body: { messageId: mails[0]!.messageId, type: 'open' } })).status).toBe(200);
    await settle();
    expect((await stats()).opened).toBe(1);

    const link = mails[0]!.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')!.value.replace(/^<|>$/g, '');
    const clicked = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const view = await call<{ contacts: { id: string; consent: Record<string, boolean> }[] }>('GET', `/customers/${t.companyId}/360`, { token: t.admin });
    expect(view.body.contacts.find((c) => c.id === t.bo.id)?.consent).toEqual({ marketing: false });
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${t.companyId}`, { token: t.admin })).body.consent).toMatchObject({ marketing: true });
    expect((await stats()).unsubscribed).toBe(1);
  });

  it('skips a contact removed before its delayed send falls due, and refuses an unknown audience with a 400 naming it', async () => {
    const t = await companyWithPeople();
    const bad = await call<{ errors: { path: string }[] }>('POST', '/automations', { token: t.marketer, body: { name: 'x', eventPattern: { source: ['crm'] }, templateId: t.templateId, topic: 'marketing', audience: 'everyone' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path)).toEqual(['audience']);

    const later = await call<{ id: string }>('POST', '/automations', {
      token: t.marketer,
      body: { name: 'A week on', eventPattern: { 'detail-type': ['crm.customer.stage-changed.v1'] }, templateId: t.templateId, topic: 'marketing', audience: 'contacts', delay: 600 },
    });
    expect(later.status).toBe(201);
    const current = await call('GET', `/customers/${t.companyId}`, { token: t.admin });
    expect((await call('PATCH', `/customers/${t.companyId}`, { token: t.admin, body: { lifecycleStage: 'customer' }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    await settle();
    expect((await call('DELETE', `/customers/${t.companyId}/contacts/${t.bo.id}`, { token: t.admin })).status).toBe(204);
    await call('POST', '/_local/clock', { body: { advance: 'PT11M' } });
    expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);
    await settle();
    expect(await t.mails()).toEqual([]);
    const stats = (await call<{ stats: { sent: number; skipped: Record<string, number> } }>('GET', `/automations/${later.body.id}`, { token: t.marketer })).body.stats;
    expect(stats).toMatchObject({ sent: 0, skipped: { 'contact-gone': 1, 'no-consent': 1 } });
  });
});
