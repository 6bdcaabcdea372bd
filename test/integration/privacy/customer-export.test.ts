import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Export {
  customerId: string;
  profile: Record<string, unknown>;
  contacts: Record<string, unknown>[];
  activities: Record<string, unknown>[];
  events: Record<string, unknown>[];
}

describe('GET /customers/{id}/export', () => {
  it('gives an admin everything stored about the customer, without storage keys', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const email = uniqueEmail('subject');
    const { body: customer } = await call<{ id: string }>('POST', '/customers', {
      token: rep,
      body: { kind: 'company', name: 'Data Subject Ltd', emails: [email], consent: { marketing: true } },
    });
    await call('POST', `/customers/${customer.id}/contacts`, { token: rep, body: { name: 'Grace', emails: [uniqueEmail('grace')] } });
    await call('POST', `/customers/${customer.id}/activities`, { token: rep, body: { type: 'call', subject: 'Asked about pricing' } });
    await settle();

    const res = await call<Export>('GET', `/customers/${customer.id}/export`, { token: await tokenFor(tenant, 'admin-1', ['admin']) });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="customer-${customer.id}.json"`);
    expect(res.body.profile).toMatchObject({ id: customer.id, emails: [email], consent: { marketing: { granted: true } } });
    expect(res.body.contacts).toEqual([expect.objectContaining({ name: 'Grace' })]);
    expect(res.body.activities.map((a) => a.subject)).toEqual(expect.arrayContaining(['Asked about pricing', 'Welcome, Data Subject Ltd']));
    expect(res.body.events.map((e) => e.detailType)).toEqual(expect.arrayContaining(['crm.customer.created.v1', 'crm.activity.logged.v1']));
    expect(JSON.stringify(res.body)).not.toMatch(/"(PK|SK|GSI\dPK)"/);
  });

  it('is for admins only, and answers 404 across tenants', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const { body: customer } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Mine' } });

    expect((await call('GET', `/customers/${customer.id}/export`, { token: rep })).status).toBe(403);
    expect((await call('GET', `/customers/${customer.id}/export`, { token: await tokenFor(newTenant(), 'admin-1', ['admin']) })).status).toBe(404);
  });
});
