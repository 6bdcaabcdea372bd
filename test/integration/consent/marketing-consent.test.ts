import { describe, expect, it } from 'vitest';
import { LOCAL_UNSUBSCRIBE_SECRET } from '../../../shared/consent/unsubscribe-secret-repository';
import { signUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { call, newTenant, settle, stack, tokenFor, uniqueEmail } from '../client';

interface Activity {
  type: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  actor: { type: string; id: string };
}
interface Suppression {
  email: string | null;
  reason: string;
  messageId: string | null;
  addedBy: string | null;
}

/** A customer with marketing consent: the welcome flow mails it through the SES stand-in, tagged with tenant and customer. */
async function customerWithConsent(tenant: string) {
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const email = uniqueEmail('ada');
  const { body } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Ada', emails: [email], consent: { marketing: true, newsletter: true } } });
  await settle();
  return { admin, email, id: body.id };
}

const timeline = async (token: string, id: string) => (await call<{ items: Activity[] }>('GET', `/customers/${id}/activities`, { token })).body.items;

const oneClick = (token: string) =>
  fetch(`${stack().apiUrl}/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

describe('unsubscribe links', () => {
  it('GET shows a confirmation page and changes nothing; one-click POST records the opt-out with its source and a timeline entry', async () => {
    const tenant = newTenant();
    const { admin, id } = await customerWithConsent(tenant);
    const token = signUnsubscribeToken({ tenantId: tenant, customerId: id, topic: 'marketing', issuedAt: '2026-11-20T10:00:00.000Z' }, LOCAL_UNSUBSCRIBE_SECRET);

    const page = await fetch(`${stack().apiUrl}/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).not.toContain('Ada');
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${id}`, { token: admin })).body.consent.marketing).toBe(true);

    const response = await oneClick(token);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You are unsubscribed');

    const { body: c360 } = await call<{ consent: Record<string, { granted: boolean; at: string; source: string }> }>('GET', `/customers/${id}/360`, { token: admin });
    expect(c360.consent.marketing).toMatchObject({ granted: false, source: 'unsubscribe-link' });
    expect(c360.consent.newsletter).toMatchObject({ granted: true, source: 'api' });
    const entries = (await timeline(admin, id)).filter((a) => a.type === 'unsubscribe');
    expect(entries).toEqual([
      expect.objectContaining({ subject: 'Unsubscribed from marketing', actor: { type: 'system', id: 'unsubscribe-link' }, payload: { topic: 'marketing', source: 'unsubscribe-link', issuedAt: '2026-11-20T10:00:00.000Z' } }),
    ]);

    // A repeat (second click, a mail client retrying) is a no-op: same evidence, one entry.
    expect((await oneClick(token)).status).toBe(200);
    const { body: again } = await call<{ consent: Record<string, { at: string }> }>('GET', `/customers/${id}/360`, { token: admin });
    expect(again.consent.marketing!.at).toBe(c360.consent.marketing!.at);
    expect((await timeline(admin, id)).filter((a) => a.type === 'unsubscribe')).toHaveLength(1);
  });

  it("a contact's link opts out the contact, noted on the company's timeline", async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const { body: company } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'company', name: 'Acme', consent: { marketing: true } } });
    const { body: contact } = await call<{ id: string }>('POST', `/customers/${company.id}/contacts`, { token: admin, body: { name: 'Bob', emails: [uniqueEmail('bob')], consent: { marketing: true } } });
    const token = signUnsubscribeToken({ tenantId: tenant, customerId: company.id, contactId: contact.id, topic: 'marketing', issuedAt: '2026-11-20T10:00:00.000Z' }, LOCAL_UNSUBSCRIBE_SECRET);

    expect((await oneClick(token)).status).toBe(200);
    const { body } = await call<{ consent: Record<string, { granted: boolean }>; contacts: { id: string; consent: Record<string, boolean> }[] }>('GET', `/customers/${company.id}/360`, { token: admin });
    expect(body.contacts.find((c) => c.id === contact.id)!.consent).toEqual({ marketing: false });
    expect(body.consent.marketing).toMatchObject({ granted: true });
    expect((await timeline(admin, company.id)).filter((a) => a.type === 'unsubscribe')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ contactId: contact.id, topic: 'marketing' }) })]);
    expect((await oneClick(token)).status).toBe(200);
    expect((await timeline(admin, company.id)).filter((a) => a.type === 'unsubscribe')).toHaveLength(1);
  });

  it('answers 400 problem+json for a tampered, foreign or garbled token, revealing nothing', async () => {
    const tenant = newTenant();
    const { admin, id } = await customerWithConsent(tenant);
    const token = signUnsubscribeToken({ tenantId: tenant, customerId: id, topic: 'marketing', issuedAt: '2026-11-20T10:00:00.000Z' }, LOCAL_UNSUBSCRIBE_SECRET);
    const [payload, signature] = token.split('.') as [string, string];
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const foreign = signUnsubscribeToken({ tenantId: tenant, customerId: id, topic: 'marketing', issuedAt: '2026-11-20T10:00:00.000Z' }, 'another-secret-of-at-least-thirty-two-chars');

    for (const bad of [tampered, foreign, 'garbage']) {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${stack().apiUrl}/unsubscribe/${bad}`, { method });
        expect(response.status, `${method} ${bad}`).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const body = (await response.json()) as Record<string, unknown>;
        expect(JSON.stringify(body)).not.toMatch(new RegExp(`${tenant}|${id}`));
      }
    }
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${id}`, { token: admin })).body.consent.marketing).toBe(true);
  });
});

describe('suppression list', () => {
  it('marketers add and list, admins remove; others are refused; a bad address is a 400 naming it', async () => {
    const tenant = newTenant();
    const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const email = uniqueEmail('nomail');

    const added = await call<Suppression>('POST', '/suppressions', { token: marketer, body: { email: email.toUpperCase(), note: 'asked by phone' } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email, reason: 'manual', addedBy: 'mkt-1' });
    expect((await call('POST', '/suppressions', { token: marketer, body: { email } })).status).toBe(200);
    expect((await call('POST', '/suppressions', { token: marketer, body: { email: 'not-an-address' } })).body).toMatchObject({ errors: [expect.objectContaining({ path: 'email' })] });

    const { body: list } = await call<{ items: Suppression[]; cursor: string | null }>('GET', '/suppressions?limit=10', { token: marketer });
    expect(list.items).toEqual([expect.objectContaining({ email, reason: 'manual' })]);
    expect(list.cursor).toBeNull();
    expect((await call('GET', '/suppressions', { token: await tokenFor(newTenant(), 'mkt-2', ['marketer']) })).body).toMatchObject({ items: [] });
    expect((await call('GET', '/suppressions', { token: rep })).status).toBe(403);
    expect((await call('POST', '/suppressions', { token: rep, body: { email } })).status).toBe(403);

    expect((await call('DELETE', `/suppressions/${encodeURIComponent(email)}`, { token: marketer })).status).toBe(403);
    expect((await call('DELETE', '/suppressions/not-an-address', { token: admin })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'email' })] });
    expect((await call('DELETE', `/suppressions/${encodeURIComponent(email)}`, { token: admin })).status).toBe(204);
    expect((await call('DELETE', `/suppressions/${encodeURIComponent(email)}`, { token: admin })).status).toBe(404);
    expect((await call<{ items: Suppression[] }>('GET', '/suppressions', { token: marketer })).body.items).toEqual([]);
  });
});

describe('SES events', () => {
  async function sentMail(email: string): Promise<string> {
    const { body } = await call<{ emails: { messageId: string; to: string[] }[] }>('GET', '/_local/emails');
    const mail = body.emails.find((m) => m.to.includes(email));
    if (!mail) throw new Error(`no mail to ${email}`);
    return mail.messageId;
  }
  const inject = (messageId: string, type: string, bounceType?: string) => call('POST', '/_local/ses-events', { body: { messageId, type, ...(bounceType ? { bounceType } : {}) } });
  const suppressions = async (token: string) => (await call<{ items: Suppression[] }>('GET', '/suppressions', { token })).body.items;

  it('a soft bounce is noted without suppressing; a hard bounce suppresses the address and lands on the timeline', async () => {
    const tenant = newTenant();
    const { admin, email, id } = await customerWithConsent(tenant);
    const messageId = await sentMail(email);

    expect((await inject(messageId, 'bounce', 'Transient')).status).toBe(200);
    expect(await suppressions(admin)).toEqual([]);
    expect((await timeline(admin, id)).filter((a) => a.type === 'email-event')).toEqual([
      expect.objectContaining({ subject: 'Email bounced (temporary)', actor: { type: 'system', id: 'ses' }, payload: expect.objectContaining({ event: 'bounce', bounceType: 'Transient', messageId }) }),
    ]);

    expect((await inject(messageId, 'bounce', 'Permanent')).status).toBe(200);
    expect(await suppressions(admin)).toEqual([expect.objectContaining({ email, reason: 'hard-bounce', messageId })]);
    expect((await timeline(admin, id)).filter((a) => a.type === 'email-event').map((a) => a.subject).sort()).toEqual([
      'Email bounced (permanent): address suppressed',
      'Email bounced (temporary)',
    ]);
    // A redelivered event changes nothing: one entry per message and kind of event.
    await inject(messageId, 'bounce', 'Permanent');
    expect((await timeline(admin, id)).filter((a) => a.type === 'email-event')).toHaveLength(2);
  });

  it('a complaint suppresses the address and lands on the timeline; repeated opens add one entry', async () => {
    const tenant = newTenant();
    const { admin, email, id } = await customerWithConsent(tenant);
    const messageId = await sentMail(email);

    await inject(messageId, 'delivery');
    await inject(messageId, 'open');
    await inject(messageId, 'open');
    await inject(messageId, 'click');
    expect((await inject(messageId, 'complaint')).status).toBe(200);

    expect(await suppressions(admin)).toEqual([expect.objectContaining({ email, reason: 'complaint', messageId })]);
    const subjects = (await timeline(admin, id)).filter((a) => a.type === 'email-event').map((a) => a.subject);
    expect(subjects.sort()).toEqual(['Email delivered', 'Email link clicked', 'Email marked as spam: address suppressed', 'Email opened']);
    const { body: events } = await call<{ events: { matchedRules: string[]; deliveries: { status: string }[] }[] }>('GET', '/_local/events?detailType=Email%20Complaint%20Received');
    expect(events.events.at(-1)!.deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });

  it("erasing the customer keeps the address suppressed, by hash only", async () => {
    const tenant = newTenant();
    const { admin, email, id } = await customerWithConsent(tenant);
    await inject(await sentMail(email), 'complaint');

    expect((await call('DELETE', `/customers/${id}`, { token: admin })).status).toBe(204);
    const after = await suppressions(admin);
    expect(after).toEqual([expect.objectContaining({ email: null, erased: true, reason: 'complaint' })]);
    expect(JSON.stringify(after)).not.toContain(email);
    // Entering the address again finds it suppressed.
    expect((await call('POST', '/suppressions', { token: admin, body: { email } })).body).toMatchObject({ alreadySuppressed: true });
  });

  it('answers 404 for a message the stand-in never sent and 400 for a bad request', async () => {
    expect((await inject('no-such-message', 'open')).status).toBe(404);
    expect((await call('POST', '/_local/ses-events', { body: { messageId: 'x', type: 'explode' } })).status).toBe(400);
  });
});
