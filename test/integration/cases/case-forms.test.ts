import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Case {
  id: string;
  customerId: string;
  email: string | null;
  subject: string;
  description: string;
  priority: string;
  category: string;
  channel: string;
  status: string;
  assigneeId: string | null;
  createdBy: string;
}
interface FormView {
  id: string;
  formKey: string;
  purpose: string;
  caseCategories: string[] | null;
  honeypotCount: number;
}
interface BusRecord {
  event: { detail: { tenantId: string; actor: { type: string; id: string }; data: Record<string, unknown> } };
}

async function setup() {
  const tenant = newTenant();
  return { tenant, admin: await tokenFor(tenant, 'admin-1', ['admin']), agent: await tokenFor(tenant, 'agent-1', ['agent']) };
}

async function createForm(admin: string, body: Record<string, unknown> = {}) {
  const res = await call<FormView>('POST', '/forms', { token: admin, body: { name: 'Support', purpose: 'case', ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const submit = (formKey: string, body: Record<string, unknown>) => call<{ status: string; reference?: string; errors?: { path: string }[] }>('POST', `/forms/${formKey}/submit`, { body });
const queue = async (agent: string) => (await call<{ items: Case[] }>('GET', '/cases?assignee=queue&limit=100', { token: agent })).body.items;
const getCase = async (agent: string, id: string) => (await call<Case>('GET', `/cases/${id}`, { token: agent })).body;
const request = (email: string, more: Record<string, unknown> = {}) => ({ email, subject: 'Invoice is wrong', description: 'The total misses the discount.', website_url: '', ...more });

describe('cases from web forms', () => {
  it('opens a web case in the queue for the customer holding the address, or a new unowned person, as actor web-form', async () => {
    const { tenant, admin, agent } = await setup();
    const form = await createForm(admin, { caseCategories: ['billing', 'technical'] });
    expect(form).toMatchObject({ purpose: 'case', caseCategories: ['billing', 'technical'] });
    const known = uniqueEmail('known');
    const customer = (await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Known Person', emails: [known] } })).body;

    const first = await submit(form.formKey, request(known.toUpperCase()));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(Object.keys(first.body).sort()).toEqual(['reference', 'status']);
    expect(await getCase(agent, first.body.reference!)).toMatchObject({
      customerId: customer.id,
      email: known,
      channel: 'web',
      status: 'new',
      assigneeId: null,
      category: 'billing',
      priority: 'normal',
      createdBy: 'web-form',
    });

    const stranger = uniqueEmail('stranger');
    const second = await submit(form.formKey, request(stranger, { name: 'Grace Stranger', category: 'technical', priority: 'low', subject: 'Login fails' }));
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const opened = await getCase(agent, second.body.reference!);
    expect(opened).toMatchObject({ category: 'technical', priority: 'low', channel: 'web', email: stranger });
    expect(opened.customerId).not.toBe(customer.id);
    const created = await call<{ name: string; emails: string[]; ownerId: string | null }>('GET', `/customers/${opened.customerId}`, { token: admin });
    expect(created.body).toMatchObject({ name: 'Grace Stranger', emails: [stranger], ownerId: null });

    expect((await queue(agent)).map((c) => c.id).sort()).toEqual([first.body.reference, second.body.reference].sort());
    await settle();
    const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.case.opened.v1');
    const mine = body.events.map((r) => r.event.detail).filter((d) => d.tenantId === tenant);
    expect(mine).toHaveLength(2);
    for (const event of mine) expect(event.actor).toEqual({ type: 'system', id: 'web-form' });
    expect(mine.map((d) => d.data)).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'web', customerCreated: true }), expect.objectContaining({ channel: 'web', customerCreated: false })]));
  });

  it('answers the same submission again with the same reference and opens one case, also when both arrive at once', async () => {
    const { admin, agent } = await setup();
    const form = await createForm(admin);
    const email = uniqueEmail('twice');
    const [a, b] = await Promise.all([submit(form.formKey, request(email)), submit(form.formKey, request(email))]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.reference).toBe(b.body.reference);
    const later = await submit(form.formKey, request(email));
    expect(later.body.reference).toBe(a.body.reference);
    const other = await submit(form.formKey, request(email, { description: 'And the VAT is wrong too.' }));
    expect(other.body.reference).not.toBe(a.body.reference);
    expect(await queue(agent)).toHaveLength(2);
  });

  it('refuses bad input with 400 naming each field, never a 500', async () => {
    const { admin, agent } = await setup();
    const form = await createForm(admin, { caseCategories: ['billing'] });
    const paths = async (body: Record<string, unknown>) => {
      const res = await submit(form.formKey, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.errors!.map((e) => e.path).sort();
    };
    expect(await paths({ website_url: '' })).toEqual(['description', 'email', 'subject']);
    expect(await paths(request('not-an-email'))).toEqual(['email']);
    expect(await paths(request(uniqueEmail(), { priority: 'urgent' }))).toEqual(['priority']);
    expect(await paths(request(uniqueEmail(), { category: 'general' }))).toEqual(['category']);
    expect(await paths(request(uniqueEmail(), { phone: '+4930123456', customerId: '01JD5X8Q2V3M4N5P6R7S8T9VWX' }))).toEqual(['customerId', 'phone']);
    expect(await paths(request(uniqueEmail(), { subject: 42 }))).toEqual(['subject']);
    expect(await queue(agent)).toEqual([]);

    const leadWithCategories = await call<{ errors: { path: string }[] }>('POST', '/forms', { token: admin, body: { name: 'Leads', caseCategories: ['billing'] } });
    expect(leadWithCategories.status).toBe(400);
    expect(leadWithCategories.body.errors.map((e) => e.path)).toEqual(['caseCategories']);
  });

  it('keeps the honeypot (a made-up reference, nothing stored) and the rate limit', async () => {
    const { admin, agent } = await setup();
    const form = await createForm(admin, { rateLimitPerMinute: 2 });
    const bot = await submit(form.formKey, request(uniqueEmail('bot'), { website_url: 'http://spam.example' }));
    expect(bot.status).toBe(201);
    expect(bot.body).toEqual({ status: 'received', reference: expect.any(String) });
    expect(await queue(agent)).toEqual([]);
    const forms = (await call<{ items: FormView[] }>('GET', '/forms', { token: admin })).body.items;
    expect(forms.find((f) => f.id === form.id)?.honeypotCount).toBe(1);

    // The bot's attempt took one of the two slots of this minute.
    const statuses = (await Promise.all([1, 2, 3].map((i) => submit(form.formKey, request(uniqueEmail(`burst${i}`)))))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 429, 429]);
    expect(await queue(agent)).toHaveLength(1);
  });

  it('leaves lead forms as they were: purpose lead, 200, a lead and no case', async () => {
    const { admin, agent } = await setup();
    const leadForm = await call<FormView>('POST', '/forms', { token: admin, body: { name: 'Contact us' } });
    expect(leadForm.body).toMatchObject({ purpose: 'lead', caseCategories: null });
    const res = await submit(leadForm.body.formKey, { email: uniqueEmail('lead'), message: 'A quote please', website_url: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'received' });
    expect(await queue(agent)).toEqual([]);
    expect((await call<{ items: unknown[] }>('GET', '/leads?status=new', { token: admin })).body.items).toHaveLength(1);
    const listed = (await call<{ items: FormView[] }>('GET', '/forms', { token: admin })).body.items;
    expect(listed.map((f) => f.purpose)).toEqual(['lead']);
  });
});
