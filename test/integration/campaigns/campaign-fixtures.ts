import { expect } from 'vitest';
import { call, newTenant, tokenFor } from '../client';

/**
 * A fresh tenant for a campaign test: a marketer, an admin, and a frequency cap of `maxEmails` a
 * week. The welcome mail is off: it would take a slot of each new customer's cap before the campaign.
 */
export async function campaignTenant(maxEmails = 10) {
  const tenant = newTenant();
  const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const current = await call('GET', '/marketing-settings', { token: admin });
  const settings = { frequencyCap: { maxEmails, windowDays: 7 }, welcomeEmail: { enabled: false } };
  expect((await call('PUT', '/marketing-settings', { token: admin, body: settings, headers: { 'if-match': current.headers.get('etag') ?? '"0"' } })).status).toBe(200);
  return { tenant, marketer, admin };
}
