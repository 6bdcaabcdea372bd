import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Lead {
  id: string;
  status: string;
  ownerId: string | null;
  teamId: string | null;
  formId: string | null;
  source: string | null;
  qualifiedLevel: string | null;
  score: { value: number; contributions: { rule: string; kind: string; points: number; detail: string }[] };
  signals: { count: number };
}
interface BusRecord {
  event: { detail: { tenantId: string; data: Record<string, unknown> } };
}

async function setup() {
  const tenant = newTenant();
  return { tenant, admin: await tokenFor(tenant, 'admin-1', ['admin']), rep: await tokenFor(tenant, 'rep-1', ['rep']) };
}

async function createForm(admin: string, body: Record<string, unknown> = {}) {
  const res = await call<{ id: string; formKey: string; honeypotCount: number }>('POST', '/forms', { token: admin, body: { name: 'Contact us', source: 'website', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const submit = (formKey: string, body: Record<string, unknown>) => call('POST', `/forms/${formKey}/submit`, { body });
const leadsIn = async (token: string, status = 'new') => (await call<{ items: Lead[] }>('GET', `/leads?status=${status}&limit=100`, { token })).body.items;
const getLead = async (token: string, id: string) => (await call<Lead>('GET', `/leads/${id}`, { token })).body;
const engage = (token: string, id: string, type: string) => call<Lead>('POST', `/leads/${id}/engagements`, { token, body: { type } });

async function events(detailType: string, tenant: string) {
  await settle();
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.map((r) => r.event.detail).filter((d) => d.tenantId === tenant).map((d) => d.data);
}

describe('capture', () => {
  it('creates a lead through POST /leads and refuses a second lead with the same email', async () => {
    const { admin } = await setup();
    const email = uniqueEmail('ada');
    const created = await call<Lead>('POST', '/leads', { token: admin, body: { name: 'Ada', email, company: 'Acme', utm: { source: 'google', campaign: 'q4' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('location')).toBe(`/leads/${created.body.id}`);
    expect(await getLead(admin, created.body.id)).toMatchObject({ status: 'new', email, utm: { source: 'google', campaign: 'q4' } });

    const again = await call<{ type: string; existingLeadId: string }>('POST', '/leads', { token: admin, body: { email } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ existingLeadId: created.body.id });
    expect((await call<{ errors: { path: string }[] }>('POST', '/leads', { token: admin, body: { name: 'No contact' } })).body.errors?.[0]?.path).toBe('email');
  });

  it('takes a public form submission without a token and counts a repeat as engagement, not a lead', async () => {
    const { tenant, admin } = await setup();
    const form = await createForm(admin);
    expect(form.formKey.startsWith(`${tenant}.`)).toBe(true);
    const email = uniqueEmail('web');

    expect((await submit(form.formKey, { email, name: 'Web Person', utm: { medium: 'cpc' } })).status).toBe(200);
    expect((await submit(form.formKey, { email, message: 'Hello again' })).status).toBe(200);

    const leads = await leadsIn(admin);
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({ email, formId: form.id, source: 'website', channel: 'form' });
    expect((await getLead(admin, leads[0]!.id)).signals.count).toBe(2);
    expect(await events('crm.lead.created.v1', tenant)).toEqual([expect.objectContaining({ leadId: leads[0]!.id, disposition: 'new', channel: 'form', formId: form.id })]);
  });

  it('answers a filled honeypot like a submission, stores nothing and counts it', async () => {
    const { admin } = await setup();
    const form = await createForm(admin);
    const res = await submit(form.formKey, { email: uniqueEmail('bot'), website_url: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'received' });
    expect(await leadsIn(admin)).toHaveLength(0);
    const forms = (await call<{ items: { id: string; honeypotCount: number }[] }>('GET', '/forms', { token: admin })).body.items;
    expect(forms.find((f) => f.id === form.id)?.honeypotCount).toBe(1);
  });

  it('limits submissions per source IP and minute, also when they arrive at once', async () => {
    const { admin } = await setup();
    const form = await createForm(admin, { rateLimitPerMinute: 3 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => submit(form.formKey, { email: uniqueEmail('burst') })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    for (const refused of responses.filter((r) => r.status === 429)) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await leadsIn(admin)).toHaveLength(3);
  });

  it('answers 404 for an unknown form key and 400 naming a bad field', async () => {
    const { admin, tenant } = await setup();
    expect((await submit(`${tenant}.${'x'.repeat(32)}`, { email: uniqueEmail() })).status).toBe(404);
    expect((await submit('garbage', { email: uniqueEmail() })).status).toBe(404);
    const form = await createForm(admin);
    const bad = await call<{ errors: { path: string }[] }>('POST', `/forms/${form.formKey}/submit`, { body: { email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.path)).toContain('email');
  });
});

describe('matching an existing customer', () => {
  it('attaches a lead with a known email or company domain to the customer timeline instead of creating a lead', async () => {
    const { tenant, admin, rep } = await setup();
    const email = uniqueEmail('known');
    const person = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Known Person', emails: [email] } });
    const company = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Acme', kind: 'company', domain: `${tenant}.example` } });

    const byEmail = await call<{ disposition: string; customerId: string; matchedOn: string; activityId: string }>('POST', '/leads', { token: admin, body: { email: email.toUpperCase() } });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body).toMatchObject({ disposition: 'matched-customer', customerId: person.body.id, matchedOn: 'email' });
    const form = await createForm(admin);
    expect((await submit(form.formKey, { email: `buyer@${tenant}.example`, message: 'Need a quote' })).status).toBe(200);

    expect(await leadsIn(admin)).toHaveLength(0);
    const timeline = await call<{ items: { type: string; body: string | null; payload: Record<string, unknown> }[] }>('GET', `/customers/${company.body.id}/activities`, { token: rep });
    expect(timeline.body.items).toEqual([expect.objectContaining({ type: 'lead', body: 'Need a quote', payload: expect.objectContaining({ channel: 'form', formId: form.id }) })]);
    expect(await events('crm.lead.created.v1', tenant)).toEqual(
      expect.arrayContaining([expect.objectContaining({ disposition: 'matched-customer', customerId: company.body.id, matchedOn: 'domain' })]),
    );
  });
});

describe('scoring and qualification', () => {
  const scoring = {
    fit: [
      { name: 'Software', attribute: 'industry', in: ['software'], weight: 20 },
      { name: 'Decision maker', attribute: 'title', contains: ['head', 'vp'], weight: 10 },
    ],
    engagement: [{ name: 'Pricing visits', signal: 'page-visited', weight: 8, halfLifeDays: 7 }],
    thresholds: { mql: 40, sql: 60 },
  };

  it('explains the score and decays engagement with time', async () => {
    const { admin } = await setup();
    expect((await call('PUT', '/lead-scoring', { token: admin, body: scoring })).status).toBe(200);
    const lead = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('fit'), industry: 'Software', title: 'Head of IT' } })).body;
    await engage(admin, lead.id, 'page-visited');

    const fresh = await getLead(admin, lead.id);
    expect(fresh.score.value).toBe(38);
    expect(fresh.score.contributions).toEqual([
      expect.objectContaining({ rule: 'Software', kind: 'fit', points: 20 }),
      expect.objectContaining({ rule: 'Decision maker', kind: 'fit', points: 10 }),
      expect.objectContaining({ rule: 'Pricing visits', kind: 'engagement', points: 8, detail: '1 x page-visited, half-life 7 d' }),
    ]);

    await call('POST', '/_local/clock', { body: { advance: 'P7D' } });
    const weekLater = await getLead(admin, lead.id);
    expect(weekLater.score.value).toBe(34);
    expect(weekLater.score.contributions.find((c) => c.rule === 'Pricing visits')?.points).toBe(4);
  });

  it('moves a lead to MQL then SQL as its score crosses the thresholds, one event per level', async () => {
    const { tenant, admin } = await setup();
    await call('PUT', '/lead-scoring', { token: admin, body: scoring });
    const lead = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('hot'), industry: 'software', title: 'VP Sales' } })).body;
    expect(lead.status).toBe('new');

    expect((await engage(admin, lead.id, 'page-visited')).body.status).toBe('new'); // 38
    expect((await engage(admin, lead.id, 'page-visited')).body).toMatchObject({ status: 'mql', qualifiedLevel: 'mql' }); // 46
    expect((await engage(admin, lead.id, 'page-visited')).body.status).toBe('mql'); // 54
    expect((await engage(admin, lead.id, 'page-visited')).body).toMatchObject({ status: 'sql', qualifiedLevel: 'sql' }); // 62
    await engage(admin, lead.id, 'page-visited');

    const qualified = await events('crm.lead.qualified.v1', tenant);
    expect(qualified.map((d) => [d.level, d.by])).toEqual([['mql', 'score'], ['sql', 'score']]);
  });

  it('lets a rep qualify with a reason, and puts a not-ready lead on the nurture list', async () => {
    const { tenant, admin } = await setup();
    const first = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('call') } })).body;
    const second = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('later') } })).body;

    const qualified = await call<Lead>('POST', `/leads/${first.id}/qualify`, { token: admin, body: { level: 'sql', reason: 'Budget and timeline confirmed' } });
    expect(qualified.body).toMatchObject({ status: 'sql', qualification: { by: 'rep', userId: 'admin-1', reason: 'Budget and timeline confirmed' } });
    const nurtured = await call<Lead>('POST', `/leads/${second.id}/disqualify`, { token: admin, body: { reason: 'Next budget year', nurture: true } });
    expect(nurtured.body.status).toBe('nurture');

    expect((await leadsIn(admin, 'nurture')).map((l) => l.id)).toEqual([second.id]);
    expect((await events('crm.lead.qualified.v1', tenant)).map((d) => [d.leadId, d.level, d.by])).toEqual([[first.id, 'mql', 'rep'], [first.id, 'sql', 'rep']]);
    const missing = await call<{ errors: { path: string }[] }>('POST', `/leads/${first.id}/qualify`, { token: admin, body: { level: 'sql' } });
    expect(missing.body.errors.map((e) => e.path)).toEqual(['reason']);
  });
});

describe('routing', () => {
  it('routes concurrent form submissions round-robin: every available rep gets exactly its share', async () => {
    const { tenant, admin } = await setup();
    const reps = ['rep-a', 'rep-b', 'rep-c', 'rep-d'];
    const routing = await call('PUT', '/routing-rules', {
      token: admin,
      body: {
        rules: [{ name: 'EMEA', teamId: 'emea', regions: ['EMEA'] }],
        defaultTeamId: 'inbound',
        teams: [
          { teamId: 'emea', reps: [...reps.map((userId) => ({ userId, available: true })), { userId: 'rep-away', available: false }] },
          { teamId: 'inbound', reps: [{ userId: 'rep-z', available: true }] },
        ],
      },
    });
    expect(routing.status, JSON.stringify(routing.body)).toBe(200);
    const form = await createForm(admin, { rateLimitPerMinute: 1000 });

    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(form.formKey, { email: uniqueEmail(`rr${i}`), region: 'emea' }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);

    const leads = await leadsIn(admin);
    expect(leads).toHaveLength(40);
    const perRep = Object.fromEntries(reps.map((rep) => [rep, leads.filter((l) => l.ownerId === rep).length]));
    expect(perRep).toEqual({ 'rep-a': 10, 'rep-b': 10, 'rep-c': 10, 'rep-d': 10 });
    const assigned = await events('crm.lead.assigned.v1', tenant);
    expect(new Set(assigned.map((d) => d.ticket)).size).toBe(40);
    expect(assigned.every((d) => d.teamId === 'emea' && d.rule === 'EMEA')).toBe(true);
  });

  it('routes least-loaded to the rep with the fewest open leads, exactly, under concurrency', async () => {
    const { admin } = await setup();
    const team = (reps: string[]) => ({ rules: [], defaultTeamId: 'all', teams: [{ teamId: 'all', strategy: 'least-loaded', reps: reps.map((userId) => ({ userId, available: true })) }] });
    await call('PUT', '/routing-rules', { token: admin, body: team(['rep-a']) });
    const form = await createForm(admin, { rateLimitPerMinute: 1000 });
    for (let i = 0; i < 6; i++) expect((await submit(form.formKey, { email: uniqueEmail(`early${i}`) })).status).toBe(200);

    // rep-a already has 6; rep-b and rep-c join: the next 12 go to them until all three are even.
    await call('PUT', '/routing-rules', { token: admin, body: team(['rep-a', 'rep-b', 'rep-c']) });
    await Promise.all(Array.from({ length: 12 }, (_, i) => submit(form.formKey, { email: uniqueEmail(`ll${i}`) })));
    const leads = await leadsIn(admin);
    const count = (rep: string) => leads.filter((l) => l.ownerId === rep).length;
    expect([count('rep-a'), count('rep-b'), count('rep-c')]).toEqual([6, 6, 6]);

    // A disqualified lead leaves rep-b's plate, so rep-b gets the next one.
    const ofB = leads.find((l) => l.ownerId === 'rep-b')!;
    await call('POST', `/leads/${ofB.id}/disqualify`, { token: admin, body: { reason: 'Spam' } });
    const next = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('after') } })).body;
    expect(next.ownerId).toBe('rep-b');
  });

  it('lets a rep read the leads routed to them and nobody else\'s', async () => {
    const { tenant, admin } = await setup();
    await call('PUT', '/routing-rules', { token: admin, body: { rules: [], defaultTeamId: 'all', teams: [{ teamId: 'all', reps: [{ userId: 'rep-1', available: true }] }] } });
    const lead = (await call<Lead>('POST', '/leads', { token: admin, body: { email: uniqueEmail('mine') } })).body;
    expect(lead.ownerId).toBe('rep-1');
    expect((await call('GET', `/leads/${lead.id}`, { token: await tokenFor(tenant, 'rep-1', ['rep']) })).status).toBe(200);
    expect((await call('GET', `/leads/${lead.id}`, { token: await tokenFor(tenant, 'rep-2', ['rep']) })).status).toBe(404);
  });
});
