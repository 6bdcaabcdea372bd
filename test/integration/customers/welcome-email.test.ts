import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { FrequencyCapRepository } from '../../../shared/consent/frequency-cap-repository';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

/** The welcome mail as a marketing mail (docs/marketing.md, "Welcome mail"): through stream, bus, the welcome flow and the SES stand-in. */

interface Mail {
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
}
interface BusRecord {
  event: { id: string; detail: { tenantId: string; data: { customerId: string } } };
}
interface Execution {
  flow: string;
  output: unknown;
  input: { detail?: { data?: { customerId?: string } } };
}

async function tenant(settings?: Record<string, unknown>) {
  const id = newTenant();
  const admin = await tokenFor(id, 'admin-1', ['admin']);
  if (settings) {
    const put = await call('PUT', '/marketing-settings', { token: admin, body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, ...settings }, headers: { 'if-match': '"0"' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
  return { id, admin };
}

async function createCustomer(t: { id: string; admin: string }, consent: Record<string, boolean> = { marketing: true }) {
  const email = uniqueEmail('welcome');
  const { status, body } = await call<{ id: string }>('POST', '/customers', { token: t.admin, body: { name: 'Ada <Lovelace>', emails: [email], consent } });
  expect(status).toBe(201);
  await settle();
  return { id: body.id, email };
}

const mailsTo = async (email: string) => (await call<{ emails: Mail[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(email));
const marker = async (tenantId: string, customerId: string) =>
  (await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: { PK: `T#${tenantId}#C#${customerId}`, SK: '$DONE#welcome-email' }, ConsistentRead: true }))).Item;

async function createdEvent(tenantId: string, customerId: string): Promise<string> {
  const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.customer.created.v1');
  return body.events.find((e) => e.event.detail.tenantId === tenantId && e.event.detail.data.customerId === customerId)!.event.id;
}

describe('the welcome mail', () => {
  it('sends the built-in default with the unsubscribe link in the body and the one-click headers, and records it', async () => {
    const t = await tenant();
    const ada = await createCustomer(t);

    const [mail, ...more] = await mailsTo(ada.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Welcome, Ada <Lovelace>');
    expect(mail!.html).toContain('Hello Ada &#60;Lovelace&#62;');
    const unsubscribe = mail!.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    expect(unsubscribe).toMatch(/^<https?:\/\/.+\/unsubscribe\/[^>]+>$/);
    expect(mail!.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    const url = /<([^>]+)>/.exec(unsubscribe)![1]!;
    expect(mail!.text).toContain(url);
    expect(await marker(t.id, ada.id)).toMatchObject({ status: 'done', result: { outcome: 'sent' } });

    // The link works like a campaign's: one click withdraws the welcome mail's topic.
    const optOut = await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(optOut.status).toBe(200);
    const customer = await call<{ consent: Record<string, boolean> }>('GET', `/customers/${ada.id}`, { token: t.admin });
    expect(customer.body.consent).toMatchObject({ marketing: false });
  });

  it("sends the tenant's own template, named in the marketing settings, under the tenant's topic", async () => {
    const t = await tenant();
    const tpl = await call<{ id: string }>('POST', '/templates', {
      token: t.admin,
      body: { name: 'Our welcome', subject: 'Bienvenue, {{customer.name}}', html: '<p>Bonjour {{customer.name}}</p>', text: 'Bonjour {{customer.name}}' },
    });
    expect(tpl.status).toBe(201);
    const put = await call('PUT', '/marketing-settings', {
      token: t.admin,
      body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, welcomeEmail: { enabled: true, templateId: tpl.body.id, topic: 'welcome' } },
      headers: { 'if-match': '"0"' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ welcomeEmail: { enabled: true, templateId: tpl.body.id, topic: 'welcome' } });

    const ada = await createCustomer(t, { welcome: true });
    const onlyMarketing = await createCustomer(t, { marketing: true });

    const [mail, ...more] = await mailsTo(ada.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Bienvenue, Ada <Lovelace>');
    expect(mail!.headers.map((h) => h.name)).toEqual(expect.arrayContaining(['List-Unsubscribe', 'List-Unsubscribe-Post']));
    expect(await mailsTo(onlyMarketing.email)).toEqual([]);
    expect(await marker(t.id, onlyMarketing.id)).toMatchObject({ result: { outcome: 'no-consent' } });
  });

  it("sends the built-in default in the tenant's language", async () => {
    const t = await tenant();
    const put = await call('PUT', '/marketing-settings', { token: t.admin, body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, welcomeEmail: { enabled: true, language: 'de' } }, headers: { 'if-match': '"0"' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ welcomeEmail: { enabled: true, templateId: null, topic: 'marketing', language: 'de' } });
    const ada = await createCustomer(t, { marketing: true });
    const [mail, ...more] = await mailsTo(ada.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Willkommen, Ada <Lovelace>');
    expect(mail!.text).toContain('vielen Dank für Ihr Interesse');
  });

  it('refuses a welcome template the tenant does not have with a 400 naming the field', async () => {
    const t = await tenant();
    const put = await call<{ errors: { path: string }[] }>('PUT', '/marketing-settings', {
      token: t.admin,
      body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, welcomeEmail: { enabled: true, templateId: 'no-such-template' } },
      headers: { 'if-match': '"0"' },
    });
    expect(put.status).toBe(400);
    expect(put.headers.get('content-type')).toContain('application/problem+json');
    expect(put.body.errors.map((e) => e.path)).toEqual(['welcomeEmail.templateId']);
  });

  it('mails nobody when the tenant switched it off', async () => {
    const t = await tenant({ welcomeEmail: { enabled: false } });
    const ada = await createCustomer(t);

    expect(await mailsTo(ada.email)).toEqual([]);
    expect(await marker(t.id, ada.id)).toMatchObject({ result: { outcome: 'switched-off' } });
  });

  it('mails nobody without consent to the topic; a customer who granted nothing costs no read or record', async () => {
    const t = await tenant();
    const ada = await createCustomer(t, { marketing: false });
    const bo = await createCustomer(t, { events: true });

    expect(await mailsTo(ada.email)).toEqual([]);
    expect(await marker(t.id, ada.id)).toBeUndefined();
    expect(await mailsTo(bo.email)).toEqual([]);
    expect(await marker(t.id, bo.id)).toMatchObject({ result: { outcome: 'no-consent' } });
  });

  it('mails no suppressed address, whatever the consent says', async () => {
    const t = await tenant();
    const email = uniqueEmail('welcome');
    expect((await call('POST', '/suppressions', { token: t.admin, body: { email } })).status).toBe(201);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: t.admin, body: { name: 'Ada', emails: [email], consent: { marketing: true } } });
    await settle();

    expect(await mailsTo(email)).toEqual([]);
    expect(await marker(t.id, body.id)).toMatchObject({ result: { outcome: 'suppressed' } });
  });

  it('counts in the frequency cap and mails nobody over it', async () => {
    const t = await tenant({ frequencyCap: { maxEmails: 1, windowDays: 7 }, welcomeEmail: { enabled: false } });
    const ada = await createCustomer(t);
    // Ada got a campaign's mail before her welcome went out: the one mail a week the cap allows.
    const { now } = (await call<{ now: string }>('GET', '/_local/clock')).body;
    const frequency = new FrequencyCapRepository(rawTable(), stack().tableName);
    expect(await frequency.reserveMarketingSend(t.id, ada.id, 'campaign#earlier', now, { maxEmails: 1, windowDays: 7 })).toEqual({ reserved: true });
    await rawTable().send(new DeleteCommand({ TableName: stack().tableName, Key: { PK: `T#${t.id}#C#${ada.id}`, SK: '$DONE#welcome-email' } }));
    const on = await call('PUT', '/marketing-settings', { token: t.admin, body: { frequencyCap: { maxEmails: 1, windowDays: 7 } }, headers: { 'if-match': '"1"' } });
    expect(on.status).toBe(200);

    expect((await call('POST', `/_local/events/${await createdEvent(t.id, ada.id)}/redeliver`)).status).toBe(200);
    await settle();

    expect(await mailsTo(ada.email)).toEqual([]);
    expect(await marker(t.id, ada.id)).toMatchObject({ result: { outcome: 'capped', nextAllowedAt: expect.any(String) } });
    // And the welcome takes a slot itself: a new customer's one mail this week is its welcome.
    const bob = await createCustomer(t);
    expect(await mailsTo(bob.email)).toHaveLength(1);
    expect(await frequency.reserveMarketingSend(t.id, bob.id, 'campaign#later', now, { maxEmails: 1, windowDays: 7 })).toMatchObject({ reserved: false, reason: 'capped' });
  });

  it('sends once when the created event is delivered again', async () => {
    const t = await tenant();
    const ada = await createCustomer(t);
    const eventId = await createdEvent(t.id, ada.id);

    const redeliveries = await Promise.all([1, 2].map(() => call('POST', `/_local/events/${eventId}/redeliver`)));
    expect(redeliveries.map((r) => r.status)).toEqual([200, 200]);
    await settle();

    expect(await mailsTo(ada.email)).toHaveLength(1);
    const { body } = await call<{ executions: Execution[] }>('GET', '/_local/executions');
    const outputs = body.executions.filter((e) => e.flow === 'welcome' && e.input.detail?.data?.customerId === ada.id).map((e) => e.output);
    expect(outputs).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'sent' }), { status: 'already-sent' }, { status: 'already-sent' }]));
    expect(outputs).toHaveLength(3);
  });
});
