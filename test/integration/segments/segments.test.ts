import { describe, expect, it } from 'vitest';
import { call, tokenFor } from '../client';
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
