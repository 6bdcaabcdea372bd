import { describe, expect, it } from 'vitest';
import { call, tokenFor, uniqueEmail } from '../client';
import { createCustomer, marketingTenant } from '../marketing-fixtures';

interface Problem {
  status: number;
  errors?: { path: string; message: string }[];
  currentVersion?: number;
}
interface Preview {
  count: number;
  sample: { id: string; name: string }[];
  evaluatedAt: string;
  scanned: number;
  complete: boolean;
  index: string;
  partitions: number;
}

describe('segments', () => {
  async function tenantWithCustomers() {
    const t = await marketingTenant();
    const rep2 = await tokenFor(t.tenant, 'rep-2', ['rep']);
    const ids = {
      goldVip: await createCustomer(t.rep, { name: 'Gold VIP', lifecycleStage: 'customer', tags: ['vip'], industry: 'Retail', consent: { newsletter: true }, customFields: { tier: 'gold' } }),
      goldLead: await createCustomer(t.rep, { name: 'Gold lead', lifecycleStage: 'lead', tags: ['vip', 'beta'], consent: { newsletter: true }, customFields: { tier: 'gold' } }),
      silver: await createCustomer(rep2, { name: 'Silver', lifecycleStage: 'customer', tags: ['vip'], consent: { newsletter: false }, customFields: { tier: 'silver' } }),
      plain: await createCustomer(t.admin, { name: 'Plain', lifecycleStage: 'lead' }),
    };
    return { ...t, ids };
  }
  const save = (token: string, definition: Record<string, unknown>) => call<{ id: string } & Problem>('POST', '/segments', { token, body: { name: 'S', definition } });
  const preview = (token: string, id: string, query = '') => call<Preview & Problem>('GET', `/segments/${id}/preview${query}`, { token });

  it('counts the matching customers over the tenant list, with a sample and the items read', async () => {
    const { marketer, ids } = await tenantWithCustomers();
    const segment = await save(marketer, { tags: { any: ['vip'] }, consentGranted: ['newsletter'], customFields: { tier: { equals: 'gold' } } });
    expect(segment.status).toBe(201);

    const { status, body } = await preview(marketer, segment.body.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 2, scanned: 4, complete: true, index: 'GSI4', partitions: 1 });
    expect(body.sample.map((c) => c.id).sort()).toEqual([ids.goldVip, ids.goldLead].sort());
    expect(Date.parse(body.evaluatedAt)).not.toBeNaN();
  });

  it('reads only the partitions the definition names: a stage list, an owner\'s book', async () => {
    const { marketer, ids } = await tenantWithCustomers();
    const byStage = await preview(marketer, (await save(marketer, { lifecycleStages: ['customer'], tags: { all: ['vip'] } })).body.id);
    expect(byStage.body).toMatchObject({ count: 2, scanned: 2, index: 'GSI5', complete: true });
    const byOwner = await preview(marketer, (await save(marketer, { ownerIds: ['rep-1'], lifecycleStages: ['lead'] })).body.id);
    expect(byOwner.body).toMatchObject({ count: 1, scanned: 2, index: 'GSI1', complete: true });
    expect(byOwner.body.sample.map((c) => c.id)).toEqual([ids.goldLead]);
  });

  it('stops at the budget and says the count is incomplete; sample=0 lists nobody', async () => {
    const { marketer } = await tenantWithCustomers();
    const { body: segment } = await save(marketer, {});
    const cut = await preview(marketer, segment.id, '?budget=3&sample=0');
    expect(cut.body).toMatchObject({ count: 3, scanned: 3, complete: false, sample: [] });
    expect((await preview(marketer, segment.id, '?budget=0')).body.errors?.map((e) => e.path)).toEqual(['query.budget']);
  });

  it('answers 400 for an undefined custom field or a condition that does not fit, and 403 to a rep', async () => {
    const { marketer, rep } = await tenantWithCustomers();
    expect((await save(marketer, { customFields: { nope: { exists: true } } })).body.errors?.map((e) => e.path)).toEqual(['definition.customFields.nope']);
    expect((await save(marketer, { customFields: { tier: { min: 3 } } })).body.errors?.map((e) => e.path)).toEqual(['definition.customFields.tier']);
    expect((await save(marketer, { lifecycleStages: ['nope'] })).status).toBe(400);
    const { body: segment } = await save(marketer, {});
    expect((await save(rep, {})).status).toBe(403);
    expect((await preview(rep, segment.id)).status).toBe(403);
    expect((await call<{ items: unknown[] }>('GET', '/segments', { token: marketer })).body.items).toHaveLength(1);
  });
});

describe('segments of leads', () => {
  interface LeadPreview {
    audience: string;
    count: number;
    sample: { id: string; name: string; status: string; source: string | null }[];
    index: string;
    partitions: number;
    complete: boolean;
  }
  async function tenantWithLeads() {
    const t = await marketingTenant();
    const lead = async (name: string, source: string) => {
      const res = await call<{ id: string }>('POST', '/leads', { token: t.admin, body: { name, email: uniqueEmail(name.toLowerCase()), source } });
      expect(res.status).toBe(201);
      return res.body.id;
    };
    const ids = { web: await lead('Web', 'website'), fair: await lead('Fair', 'trade-fair'), later: await lead('Later', 'website'), out: await lead('Out', 'website') };
    expect((await call('POST', `/leads/${ids.later}/disqualify`, { token: t.admin, body: { reason: 'Next year', nurture: true } })).status).toBe(200);
    expect((await call('POST', `/leads/${ids.out}/disqualify`, { token: t.admin, body: { reason: 'Spam' } })).status).toBe(200);
    // A customer is never a member of a leads segment.
    await createCustomer(t.admin, { name: 'Customer', tags: ['vip'] });
    return { ...t, ids };
  }
  const save = (token: string, body: Record<string, unknown>) => call<{ id: string; audience: string; errors?: { path: string }[] }>('POST', '/segments', { token, body: { name: 'Leads', ...body } });
  const preview = async (token: string, id: string) => (await call<LeadPreview>('GET', `/segments/${id}/preview`, { token })).body;

  it('selects the nurture list, or the open leads by source, from the status lists', async () => {
    const { marketer, ids } = await tenantWithLeads();
    const nurture = await save(marketer, { audience: 'leads', definition: { leadStatuses: ['nurture'] } });
    expect(nurture.status).toBe(201);
    expect(nurture.body.audience).toBe('leads');
    expect(await preview(marketer, nurture.body.id)).toMatchObject({ audience: 'leads', count: 1, index: 'GSI5', partitions: 1, complete: true, sample: [{ id: ids.later, name: 'Later', status: 'nurture', source: 'website' }] });
    // Without statuses: the open ones (new, nurture, mql, sql), not the disqualified.
    const web = await save(marketer, { audience: 'leads', definition: { sources: ['website'] } });
    const open = await preview(marketer, web.body.id);
    expect(open).toMatchObject({ count: 2, partitions: 4 });
    expect(open.sample.map((l) => l.id).sort()).toEqual([ids.web, ids.later].sort());
    // A customers segment of the same tenant still lists customers only.
    const customers = await save(marketer, { definition: {} });
    expect(customers.body.audience).toBe('customers');
    expect((await preview(marketer, customers.body.id)).count).toBe(1);
  });

  it('refuses criteria the audience does not have and unknown audiences, naming the field', async () => {
    const { marketer } = await tenantWithLeads();
    const tagged = await save(marketer, { audience: 'leads', definition: { tags: { any: ['vip'] }, leadStatuses: ['new'] } });
    expect(tagged.status).toBe(400);
    expect(tagged.body.errors?.map((e) => e.path)).toEqual(['definition.tags']);
    const statuses = await save(marketer, { definition: { leadStatuses: ['nurture'] } });
    expect(statuses.body.errors?.map((e) => e.path)).toEqual(['definition.leadStatuses']);
    const unknown = await save(marketer, { audience: 'robots', definition: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.path)).toEqual(['audience']);
  });

  it('is not taken where customers are selected: a customers export', async () => {
    const { marketer } = await tenantWithLeads();
    const nurture = await save(marketer, { audience: 'leads', definition: { leadStatuses: ['nurture'] } });
    const exported = await call<{ errors: { path: string }[] }>('POST', '/exports', { token: marketer, body: { entity: 'customers', segmentId: nurture.body.id } });
    expect(exported.status).toBe(400);
    expect(exported.body.errors.map((e) => e.path)).toEqual(['segmentId']);
  });
});
