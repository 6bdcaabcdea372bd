import { describe, expect, it } from 'vitest';
import { LOCAL_UNSUBSCRIBE_SECRET } from '../../../shared/consent/unsubscribe-secret-repository';
import { signUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { call, newTenant, settle, stack, tokenFor, uniqueEmail } from '../client';

// The page behind an unsubscribe link shows the link's topic as it stands and a preference centre
// for every topic on record; its form changes consent with the same evidence as one-click.

interface Activity {
  type: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  actor: { type: string; id: string };
}
type Consent = Record<string, { granted: boolean; at: string; source: string }>;

const ISSUED_AT = '2026-11-20T10:00:00.000Z';
const page = async (token: string) => {
  const response = await fetch(`${stack().apiUrl}/unsubscribe/${token}`);
  expect(response.status).toBe(200);
  return response.text();
};
const save = (token: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${stack().apiUrl}/unsubscribe/${token}/preferences`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
const oneClick = (token: string) =>
  fetch(`${stack().apiUrl}/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

async function customer() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const email = uniqueEmail('ada');
  // `events` was opted out through the API (the customer told a rep): a link may not give it back.
  const { body } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Ada Lovelace', emails: [email], consent: { marketing: true, newsletter: true, events: false } } });
  await settle();
  const token = signUnsubscribeToken({ tenantId: tenant, customerId: body.id, topic: 'marketing', issuedAt: ISSUED_AT }, LOCAL_UNSUBSCRIBE_SECRET);
  const consent = async () => (await call<{ consent: Consent }>('GET', `/customers/${body.id}/360`, { token: admin })).body.consent;
  const entries = async () => (await call<{ items: Activity[] }>('GET', `/customers/${body.id}/activities`, { token: admin })).body.items.filter((a) => a.type === 'consent');
  return { tenant, admin, email, id: body.id, token, consent, entries };
}

describe('unsubscribe page and preference centre', () => {
  it("shows the link's topic as it stands and every topic on record, naming nobody; GET changes nothing", async () => {
    const ada = await customer();
    const html = await page(ada.token);
    expect(html).toContain('<h1>Unsubscribe</h1><p>Stop receiving <strong>marketing</strong> emails?</p>');
    expect(html).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).toContain(`<form method="post" action="${ada.token}/preferences">`);
    expect(html).toContain('<input type="radio" name="marketing" value="in" checked>');
    expect(html).toContain('<input type="radio" name="newsletter" value="in" checked>');
    expect(html).toContain('<p><strong>events</strong>: unsubscribed</p>');
    expect(html).not.toContain('name="events"');
    for (const secret of ['Ada', 'Lovelace', ada.email, ada.tenant, ada.id]) expect(html).not.toContain(secret);
    expect(html).not.toMatch(/<script/);
    expect((await ada.consent()).marketing).toMatchObject({ granted: true, source: 'api' });
  });

  it('after a one-click unsubscribe, says the topic is out and offers it back; one-click works as before', async () => {
    const ada = await customer();
    expect((await oneClick(ada.token)).status).toBe(200);
    const html = await page(ada.token);
    expect(html).toContain('<h1>You are unsubscribed</h1><p>You receive no <strong>marketing</strong> emails from us.</p>');
    expect(html).not.toContain('One-Click');
    expect(html).toContain('<input type="radio" name="marketing" value="out" checked>');
    expect((await ada.consent()).marketing).toMatchObject({ granted: false, source: 'unsubscribe-link' });
  });

  it('saves the form as consent evidence with one timeline entry per save; unchanged answers keep their evidence', async () => {
    const ada = await customer();
    const before = await ada.consent();
    const saved = await save(ada.token, 'newsletter=out&marketing=in');
    expect(saved.status).toBe(200);
    expect(saved.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await saved.text();
    expect(html).toContain('Your choices are saved.');
    expect(html).toContain('<input type="radio" name="newsletter" value="out" checked>');
    // Answering at .../preferences, the forms point back relative to it.
    expect(html).toContain(`action="../${ada.token}"`);

    const after = await ada.consent();
    expect(after.newsletter).toMatchObject({ granted: false, source: 'unsubscribe-link' });
    expect(after.marketing).toEqual(before.marketing);
    expect(after.events).toEqual(before.events);
    await settle();
    expect(await ada.entries()).toEqual([
      expect.objectContaining({
        subject: 'Preference centre: unsubscribed from newsletter',
        actor: { type: 'system', id: 'unsubscribe-link' },
        payload: { changes: { newsletter: false }, source: 'unsubscribe-link', linkTopic: 'marketing', issuedAt: ISSUED_AT },
      }),
    ]);

    // What the link took, the link gives back.
    expect((await save(ada.token, 'newsletter=in')).status).toBe(200);
    expect((await ada.consent()).newsletter).toMatchObject({ granted: true, source: 'unsubscribe-link' });
    // A repeat changes nothing and writes no entry.
    expect((await save(ada.token, 'newsletter=in')).status).toBe(200);
    expect(await ada.entries()).toHaveLength(2);
  });

  it('answers 400 problem+json naming the field for a topic the link may not give, a bad choice or a bad topic; a browser gets a page', async () => {
    const ada = await customer();
    const refused = await save(ada.token, 'events=in&newsletter=out');
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['events']);
    expect((await ada.consent()).newsletter).toMatchObject({ granted: true }); // nothing of a refused form is saved

    const badChoice = await save(ada.token, 'marketing=maybe');
    expect([badChoice.status, ((await badChoice.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)]).toEqual([400, ['marketing']]);
    expect((await save(ada.token, 'Not%20A%20Topic=out')).status).toBe(400);

    const browser = await save(ada.token, 'events=in', { accept: 'text/html' });
    expect(browser.status).toBe(400);
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await browser.text()).toContain('cannot be subscribed to through this link');

    expect((await save(ada.token, '{"marketing":"out"}', { 'content-type': 'application/json' })).status).toBe(415);
    expect((await save(`${ada.token}x`, 'marketing=out')).status).toBe(400);
  });

  it('two saves at once both land: a version conflict reads again, nothing is lost', async () => {
    const ada = await customer();
    const [a, b] = await Promise.all([save(ada.token, 'newsletter=out'), save(ada.token, 'marketing=out')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const after = await ada.consent();
    expect([after.newsletter!.granted, after.marketing!.granted]).toEqual([false, false]);
    expect(await ada.entries()).toHaveLength(2);
  });
});
