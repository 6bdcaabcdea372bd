import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable, stack, tokenFor, uniqueEmail } from '../client';

// Consent at the source (docs/leads.md#consent-at-the-source): captured with its evidence on the
// lead, carried by the conversion to the customer or the contact.

interface ConsentRecord {
  granted: boolean;
  at: string;
  source: string;
  evidence?: { text: string; pageUrl: string | null; formId: string | null };
  convertedFromLead?: string;
  requestedAt?: string;
}
interface Problem {
  type: string;
  errors?: { path: string; message: string }[];
}

async function setup() {
  const tenant = newTenant();
  return { tenant, admin: await tokenFor(tenant, 'admin-1', ['admin']) };
}

const raw = async (PK: string, SK: string) => (await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: { PK, SK }, ConsistentRead: true }))).Item;
const WORDING = 'Yes, send me the monthly newsletter. You can unsubscribe at any time.';
const PAGE = 'https://www.example.com/contact';

describe('consent captured with a lead', () => {
  it('stores the answers with their evidence and the server time, and GET /leads/{id} shows them', async () => {
    const { admin } = await setup();
    const before = new Date().toISOString();
    const created = await call<{ id: string }>('POST', '/leads', { token: admin, body: { email: uniqueEmail('c'), consent: { newsletter: true, offers: false }, consentText: WORDING, pageUrl: PAGE } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const lead = await call<{ consent: Record<string, ConsentRecord> }>('GET', `/leads/${created.body.id}`, { token: admin });
    expect(lead.body.consent).toEqual({
      newsletter: { granted: true, at: expect.any(String), source: 'api', evidence: { text: WORDING, pageUrl: PAGE, formId: null } },
      offers: { granted: false, at: expect.any(String), source: 'api', evidence: { text: WORDING, pageUrl: PAGE, formId: null } },
    });
    expect(lead.body.consent.newsletter!.at >= before).toBe(true);
  });

  it('refuses bad answers with a 400 naming the field, and stores nothing', async () => {
    const { admin } = await setup();
    const email = uniqueEmail('bad');
    const cases: [Record<string, unknown>, string][] = [
      [{ consent: { newsletter: 'yes' }, consentText: WORDING }, 'consent.newsletter'],
      [{ consent: { 'Not a topic': true }, consentText: WORDING }, 'consent.Not a topic'],
      [{ consent: { newsletter: true } }, 'consentText'],
    ];
    for (const [body, path] of cases) {
      const res = await call<Problem>('POST', '/leads', { token: admin, body: { email, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors?.map((e) => e.path)).toEqual([path]);
    }
    // Nothing was stored: the same email is still free.
    expect((await call('POST', '/leads', { token: admin, body: { email } })).status).toBe(201);
  });

  it('comes from a form with the form as evidence', async () => {
    const { admin } = await setup();
    const form = await call<{ id: string; formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Newsletter' } });
    const email = uniqueEmail('f');
    const res = await call('POST', `/forms/${form.body.formKey}/submit`, { body: { email, consent: { newsletter: true }, consentText: WORDING, pageUrl: PAGE } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const leads = await call<{ items: { email: string; consent: Record<string, ConsentRecord> }[] }>('GET', '/leads?status=new', { token: admin });
    expect(leads.body.items.find((l) => l.email === email)?.consent.newsletter).toMatchObject({ granted: true, source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id } });
  });
});

describe('a known person sending the form again', () => {
  it('has their new answers recorded on the lead, an unchanged one keeping its first evidence', async () => {
    const { admin } = await setup();
    const form = await call<{ id: string; formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Newsletter' } });
    const email = uniqueEmail('again');
    const send = (consent: Record<string, boolean>, consentText: string) => call('POST', `/forms/${form.body.formKey}/submit`, { body: { email, consent, consentText } });
    expect((await send({ newsletter: true }, 'First wording')).status).toBe(200);
    expect((await send({ newsletter: true, offers: true }, 'Second wording')).status).toBe(200);
    const lead = (await call<{ items: { email: string; consent: Record<string, ConsentRecord> }[] }>('GET', '/leads?status=new', { token: admin })).body.items.find((l) => l.email === email)!;
    expect(lead.consent.newsletter?.evidence?.text).toBe('First wording');
    expect(lead.consent.offers).toMatchObject({ granted: true, evidence: { text: 'Second wording' } });
  });
});

describe('conversion carries the consent', () => {
  it('to a person customer, with the original time and evidence and the lead named', async () => {
    const { tenant, admin } = await setup();
    const lead = await call<{ id: string }>('POST', '/leads', { token: admin, body: { name: 'Pat', email: uniqueEmail('p'), consent: { newsletter: true }, consentText: WORDING, pageUrl: PAGE } });
    const captured = (await call<{ consent: Record<string, ConsentRecord> }>('GET', `/leads/${lead.body.id}`, { token: admin })).body.consent.newsletter!;
    const converted = await call<{ customerId: string; customer: { consent: Record<string, boolean> } }>('POST', `/leads/${lead.body.id}/convert`, { token: admin, body: {} });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.customer.consent).toEqual({ newsletter: true });
    const profile = await raw(`T#${tenant}#C#${converted.body.customerId}`, 'PROFILE');
    expect(profile?.consent).toEqual({ newsletter: { ...captured, convertedFromLead: lead.body.id } });
    // The person's consent moved: the converted lead holds none.
    expect((await call<{ consent: unknown }>('GET', `/leads/${lead.body.id}`, { token: admin })).body.consent).toEqual({});
  });

  it('to the contact of a new company', async () => {
    const { tenant, admin } = await setup();
    const lead = await call<{ id: string }>('POST', '/leads', { token: admin, body: { name: 'Kim', email: uniqueEmail('k'), company: `Acme ${tenant}`, consent: { newsletter: true }, consentText: WORDING } });
    const converted = await call<{ customerId: string; contactId: string; contact: { consent: Record<string, boolean> } }>('POST', `/leads/${lead.body.id}/convert`, { token: admin, body: {} });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body.contact.consent).toEqual({ newsletter: true });
    const contact = await raw(`T#${tenant}#C#${converted.body.customerId}`, `CONTACT#${converted.body.contactId}`);
    expect(contact?.consent).toEqual({ newsletter: expect.objectContaining({ granted: true, source: 'api', evidence: { text: WORDING, pageUrl: null, formId: null }, convertedFromLead: lead.body.id }) });
    expect((await raw(`T#${tenant}#C#${converted.body.customerId}`, 'PROFILE'))?.consent).toEqual({});
  });
});

/** A page's plain `<form method="post">`: form-encoded, redirects not followed (the test looks at the 303). */
const htmlPost = (formKey: string, fields: [string, string][], accept = 'text/html,application/xhtml+xml,*/*;q=0.8') =>
  fetch(`${stack().apiUrl}/forms/${formKey}/submit`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: new URLSearchParams(fields).toString(),
  });

describe('HTML forms', () => {
  async function formWith(admin: string, body: Record<string, unknown>) {
    const res = await call<{ id: string; formKey: string; thankYouUrl: string | null; errors?: { path: string }[] }>('POST', '/forms', { token: admin, body: { name: 'Newsletter', ...body } });
    return res;
  }

  it('answers a form-encoded post 303 to the thank-you URL and captures the lead with its checkbox consent', async () => {
    const { admin } = await setup();
    const form = await formWith(admin, { thankYouUrl: 'https://www.example.com/thanks' });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    expect(form.body.thankYouUrl).toBe('https://www.example.com/thanks');
    const email = uniqueEmail('html');
    const res = await htmlPost(form.body.formKey, [
      ['email', email], ['name', 'Html Person'], ['companySize', '40'], ['utm.source', 'ads'], ['website_url', ''],
      ['consentText', WORDING], ['pageUrl', PAGE], ['consent.newsletter', 'off'], ['consent.newsletter', 'on'], ['consent.offers', 'off'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://www.example.com/thanks');
    const leads = await call<{ items: { email: string; companySize: number; utm: unknown; consent: Record<string, ConsentRecord> }[] }>('GET', '/leads?status=new', { token: admin });
    const lead = leads.body.items.find((l) => l.email === email);
    expect(lead).toMatchObject({ companySize: 40, utm: { source: 'ads' } });
    expect(lead?.consent).toEqual({
      newsletter: { granted: true, at: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id } },
      offers: { granted: false, at: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id } },
    });
  });

  it('shows a thank-you page when the form has no thank-you URL, and a JSON post keeps its JSON answer', async () => {
    const { admin } = await setup();
    const form = await formWith(admin, {});
    const page = await htmlPost(form.body.formKey, [['email', uniqueEmail('page')]]);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Thank you');
    const json = await call('POST', `/forms/${form.body.formKey}/submit`, { body: { email: uniqueEmail('json') } });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.body).toEqual({ status: 'received' });
  });

  it('refuses a checkbox value it cannot read, naming the field, and stores nothing', async () => {
    const { admin } = await setup();
    const form = await formWith(admin, { thankYouUrl: 'https://www.example.com/thanks' });
    const email = uniqueEmail('maybe');
    const res = await htmlPost(form.body.formKey, [['email', email], ['consentText', WORDING], ['consent.newsletter', 'maybe']], 'application/json');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as Problem).errors?.map((e) => e.path)).toEqual(['consent.newsletter']);
    // A browser gets the same refusal as a page.
    const browser = await htmlPost(form.body.formKey, [['email', email], ['consent.newsletter', 'on']]);
    expect(browser.status).toBe(400);
    expect(await browser.text()).toContain('consent wording');
    const leads = await call<{ items: { email: string }[] }>('GET', '/leads?status=new', { token: admin });
    expect(leads.body.items.some((l) => l.email === email)).toBe(false);
  });

  it('refuses a thank-you URL that is not https, naming it', async () => {
    const { admin } = await setup();
    const res = await formWith(admin, { thankYouUrl: 'http://www.example.com/thanks' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path)).toEqual(['thankYouUrl']);
  });
});

describe('double opt-in', () => {
  interface SentEmail {
    to: string[];
    subject: string;
    text?: string;
  }
  const mailsTo = async (email: string) => (await call<{ emails: SentEmail[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(email));

  async function tenantWithDoubleOptIn() {
    const { tenant, admin } = await setup();
    const put = await call('PUT', '/marketing-settings', { token: admin, body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, doubleOptIn: true }, headers: { 'if-match': '"0"' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ doubleOptIn: true });
    return { tenant, admin };
  }

  it('holds a grant until the mailed link is followed; the GET page grants nothing; the POST grants once with its evidence', async () => {
    const { admin } = await tenantWithDoubleOptIn();
    const form = await call<{ id: string; formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Newsletter' } });
    const email = uniqueEmail('doi');
    const res = await call('POST', `/forms/${form.body.formKey}/submit`, { body: { email, consent: { newsletter: true, offers: false }, consentText: WORDING, pageUrl: PAGE } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    const leadId = (await call<{ items: { id: string; email: string }[] }>('GET', '/leads?status=new', { token: admin })).body.items.find((l) => l.email === email)!.id;
    const read = async () => (await call<{ consent: Record<string, ConsentRecord>; pendingConsent: Record<string, unknown> }>('GET', `/leads/${leadId}`, { token: admin })).body;
    const held = await read();
    expect(held.consent.newsletter).toBeUndefined();
    expect(held.consent.offers).toMatchObject({ granted: false });
    expect(held.pendingConsent).toEqual({ newsletter: { requestedAt: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id } } });

    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(WORDING);
    const link = /(http\S+\/consent-confirmations\/\S+)/.exec(mails[0]!.text ?? '')![1]!;
    const path = new URL(link).pathname;

    const page = await fetch(`${stack().apiUrl}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await read()).consent.newsletter).toBeUndefined();

    // Two clicks at once: one grant.
    const clicks = await Promise.all([1, 2].map(() => fetch(`${stack().apiUrl}${path}`, { method: 'POST' })));
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    const confirmed = await read();
    expect(confirmed.pendingConsent).toEqual({});
    expect(confirmed.consent.newsletter).toEqual({
      granted: true, at: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id }, requestedAt: (held.pendingConsent.newsletter as { requestedAt: string }).requestedAt,
    });
    expect(confirmed.consent.newsletter!.at >= confirmed.consent.newsletter!.requestedAt!).toBe(true);

    // Following it again changes nothing.
    expect((await fetch(`${stack().apiUrl}${path}`, { method: 'POST' })).status).toBe(200);
    expect((await read()).consent.newsletter).toEqual(confirmed.consent.newsletter);
  });

  it('mails the link again when a known person grants again while nothing is confirmed', async () => {
    const { admin } = await tenantWithDoubleOptIn();
    const form = await call<{ formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Newsletter' } });
    const email = uniqueEmail('resend');
    const body = { email, consent: { newsletter: true }, consentText: WORDING };
    expect((await call('POST', `/forms/${form.body.formKey}/submit`, { body })).status).toBe(200);
    expect((await call('POST', `/forms/${form.body.formKey}/submit`, { body })).status).toBe(200);
    expect(await mailsTo(email)).toHaveLength(2);
    const lead = (await call<{ items: { email: string; consent: Record<string, unknown>; pendingConsent: Record<string, unknown> }[] }>('GET', '/leads?status=new', { token: admin })).body.items.find((l) => l.email === email)!;
    expect(lead.consent).toEqual({});
    expect(Object.keys(lead.pendingConsent)).toEqual(['newsletter']);
  });

  it('never grants an unconfirmed answer through conversion', async () => {
    const { tenant, admin } = await tenantWithDoubleOptIn();
    const email = uniqueEmail('unconfirmed');
    const lead = await call<{ id: string; pendingConsent: Record<string, unknown> }>('POST', '/leads', { token: admin, body: { name: 'Una', email, consent: { newsletter: true }, consentText: WORDING } });
    expect(lead.status).toBe(201);
    expect(Object.keys(lead.body.pendingConsent)).toEqual(['newsletter']);
    expect(await mailsTo(email)).toHaveLength(1);
    const converted = await call<{ customerId: string }>('POST', `/leads/${lead.body.id}/convert`, { token: admin, body: {} });
    expect(converted.status).toBe(200);
    expect((await raw(`T#${tenant}#C#${converted.body.customerId}`, 'PROFILE'))?.consent).toEqual({});
  });

  it('refuses a changed link with a 400 and mails nothing when the tenant has it off', async () => {
    const { admin } = await setup();
    const email = uniqueEmail('off');
    expect((await call('POST', '/leads', { token: admin, body: { email, consent: { newsletter: true }, consentText: WORDING } })).status).toBe(201);
    expect(await mailsTo(email)).toEqual([]);
    const bad = await fetch(`${stack().apiUrl}/consent-confirmations/eyJ0IjoieCJ9.bad-signature`, { method: 'POST' });
    expect(bad.status).toBe(400);
  });
});

describe('answers of a capture that matched a customer', () => {
  interface SentEmail {
    to: string[];
    text?: string;
  }
  interface Match {
    disposition: string;
    customerId: string;
    matchedOn: string;
    awaitingConfirmation: string[];
  }
  const customer = async (admin: string, body: Record<string, unknown>) => {
    const created = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Cleo', kind: 'person', ...body } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };

  it("change the customer's consent when the address is the customer's own: grants with their evidence, refusals at once", async () => {
    const { tenant, admin } = await setup();
    const email = uniqueEmail('cleo');
    const id = await customer(admin, { emails: [email], phones: ['+49 30 5550101'], consent: { offers: true } });
    const res = await call<Match>('POST', '/leads', { token: admin, body: { email, consent: { newsletter: true, offers: false }, consentText: WORDING, pageUrl: PAGE } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ disposition: 'matched-customer', customerId: id, matchedOn: 'email', awaitingConfirmation: [] });
    const profile = await raw(`T#${tenant}#C#${id}`, 'PROFILE');
    expect(profile?.consent).toMatchObject({
      newsletter: { granted: true, source: 'api', evidence: { text: WORDING, pageUrl: PAGE, formId: null } },
      offers: { granted: false, source: 'api', evidence: { text: WORDING, pageUrl: PAGE, formId: null } },
    });
    expect(profile?.version).toBe(2);
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${id}`, { token: admin })).body.consent).toEqual({ newsletter: true, offers: false });

    // The same phone under another address is somebody else's answer: the customer's consent stays.
    const other = await call<Match>('POST', '/leads', { token: admin, body: { email: uniqueEmail('colleague'), phone: '+49 30 5550101', consent: { newsletter: false }, consentText: WORDING } });
    expect(other.body).toMatchObject({ disposition: 'matched-customer', customerId: id, matchedOn: 'phone', awaitingConfirmation: [] });
    expect((await raw(`T#${tenant}#C#${id}`, 'PROFILE'))?.consent).toEqual(profile?.consent);
  });

  it('under double opt-in holds the grant on the customer and mails the link to its address; the link grants it once', async () => {
    const { tenant, admin } = await setup();
    expect((await call('PUT', '/marketing-settings', { token: admin, body: { frequencyCap: { maxEmails: 3, windowDays: 7 }, doubleOptIn: true }, headers: { 'if-match': '"0"' } })).status).toBe(200);
    const email = uniqueEmail('dora');
    const id = await customer(admin, { emails: [email] });
    const form = await call<{ id: string; formKey: string }>('POST', '/forms', { token: admin, body: { name: 'Newsletter' } });
    expect((await call('POST', `/forms/${form.body.formKey}/submit`, { body: { email, consent: { newsletter: true }, consentText: WORDING, pageUrl: PAGE } })).status).toBe(200);

    const held = await raw(`T#${tenant}#C#${id}`, 'PROFILE');
    expect(held?.consent).toEqual({});
    expect(held?.pendingConsent).toEqual({ newsletter: { requestedAt: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id } } });
    const mails = (await call<{ emails: SentEmail[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(email) && m.text?.includes('consent-confirmations'));
    expect(mails).toHaveLength(1);
    const path = new URL(/(http\S+\/consent-confirmations\/\S+)/.exec(mails[0]!.text!)![1]!).pathname;

    const clicks = await Promise.all([1, 2].map(() => fetch(`${stack().apiUrl}${path}`, { method: 'POST' })));
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    const confirmed = await raw(`T#${tenant}#C#${id}`, 'PROFILE');
    expect(confirmed?.pendingConsent).toEqual({});
    expect(confirmed?.consent).toEqual({ newsletter: { granted: true, at: expect.any(String), source: 'form', evidence: { text: WORDING, pageUrl: PAGE, formId: form.body.id }, requestedAt: held?.pendingConsent.newsletter.requestedAt } });
    expect(confirmed?.version).toBe(3);
  });
});
