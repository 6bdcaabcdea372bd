import { expect } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from './client';

/** A fresh tenant with an admin, a marketer and a rep, and a `tier` select field (gold, silver) on its customers. */
export async function marketingTenant() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  expect((await call('POST', '/custom-fields', { token: admin, body: { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver'] } })).status).toBe(201);
  return { tenant, admin, marketer, rep };
}

/** Creates a customer with a unique email (and whatever `body` adds); answers its id. */
export async function createCustomer(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await call<{ id: string }>('POST', '/customers', { token, body: { emails: [uniqueEmail()], ...body } });
  expect(res.status).toBe(201);
  return res.body.id;
}
