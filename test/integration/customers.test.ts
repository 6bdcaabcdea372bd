import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from './client';

interface CustomerBody {
  id: string;
  name: string;
  email: string;
  ownerId: string | null;
  consent: { marketing: boolean };
  version: number;
  createdAt: string;
}

describe('POST /customers and GET /customers/{id}', () => {
  it('creates a customer owned by the rep and reads it back', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const email = uniqueEmail('Ada').toUpperCase();

    const created = await call<CustomerBody>('POST', '/customers', { token: rep, body: { name: 'Ada Lovelace', email, consent: { marketing: true } } });

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ name: 'Ada Lovelace', email: email.toLowerCase(), ownerId: 'rep-1', consent: { marketing: true }, version: 1 });
    const read = await call<CustomerBody>('GET', `/customers/${created.body.id}`, { token: rep });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('answers 404 for another tenant\'s customer, never its data', async () => {
    const owner = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const created = await call<CustomerBody>('POST', '/customers', { token: owner, body: { name: 'Secret', email: uniqueEmail() } });
    const otherAdmin = await tokenFor(newTenant(), 'admin-1', ['admin']);

    const res = await call<{ status: number }>('GET', `/customers/${created.body.id}`, { token: otherAdmin });

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(res.body)).not.toContain('Secret');
  });

  it('hides a customer from a rep who does not own it, but not from a manager', async () => {
    const tenant = newTenant();
    const owner = await tokenFor(tenant, 'rep-1', ['rep']);
    const created = await call<CustomerBody>('POST', '/customers', { token: owner, body: { name: 'Mine', email: uniqueEmail() } });

    const otherRep = await call('GET', `/customers/${created.body.id}`, { token: await tokenFor(tenant, 'rep-2', ['rep']) });
    const manager = await call('GET', `/customers/${created.body.id}`, { token: await tokenFor(tenant, 'mgr-1', ['manager']) });

    expect(otherRep.status).toBe(404);
    expect(manager.status).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    const token = await tokenFor(newTenant(), 'admin-1', ['admin']);
    const res = await call('GET', '/customers/01JD0000000000000000000000', { token });
    expect(res.status).toBe(404);
  });

  it('tells the rep who already has a customer with that email (409)', async () => {
    const tenant = newTenant();
    const email = uniqueEmail();
    const first = await call<CustomerBody>('POST', '/customers', { token: await tokenFor(tenant, 'rep-1', ['rep']), body: { name: 'First', email } });

    const second = await call<{ existingCustomerId: string; existingOwnerId: string; field: string }>('POST', '/customers', {
      token: await tokenFor(tenant, 'rep-2', ['rep']),
      body: { name: 'Second', email: email.toUpperCase() },
    });

    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(second.body).toMatchObject({ field: 'email', existingCustomerId: first.body.id, existingOwnerId: 'rep-1' });
  });

  it('lets two tenants hold the same email', async () => {
    const email = uniqueEmail();
    const a = await call('POST', '/customers', { token: await tokenFor(newTenant(), 'rep-1', ['rep']), body: { name: 'A', email } });
    const b = await call('POST', '/customers', { token: await tokenFor(newTenant(), 'rep-1', ['rep']), body: { name: 'B', email } });
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it('resolves concurrent creates of one email with exactly one winner', async () => {
    const tenant = newTenant();
    const email = uniqueEmail('race');
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => tokenFor(tenant, `rep-${i}`, ['rep'])));

    const results = await Promise.all(tokens.map((token, i) => call('POST', '/customers', { token, body: { name: `Racer ${i}`, email } })));

    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
  });
});
