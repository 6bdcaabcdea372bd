import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface Definition {
  key: string;
  appliesTo: string;
  label: string;
  type: string;
  options: string[] | null;
  description: string | null;
  createdAt: string;
  createdBy: string;
}
interface CustomerBody {
  id: string;
  version: number;
  customFields: Record<string, unknown>;
}
interface Problem {
  type: string;
  status: number;
  errors?: { path: string; message: string }[];
  key?: string;
}

const define = (token: string, body: Record<string, unknown>) => call<Definition & Problem>('POST', '/custom-fields', { token, body });
const list = (token: string) => call<{ items: Definition[] }>('GET', '/custom-fields', { token });
const createCustomer = (token: string, body: Record<string, unknown>) => call<CustomerBody & Problem>('POST', '/customers', { token, body });
const patch = (token: string, id: string, body: Record<string, unknown>, version: number) =>
  call<CustomerBody & Problem>('PATCH', `/customers/${id}`, { token, body, contentType: 'application/merge-patch+json', headers: { 'if-match': `"${version}"` } });
const paths = (problem: Problem) => (problem.errors ?? []).map((e) => e.path).sort();

const FIELDS = [
  { key: 'notes', label: 'Notes', type: 'text', description: 'Anything worth knowing' },
  { key: 'seats', label: 'Seats', type: 'number' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'contractEnd', label: 'Contract end', type: 'date' },
  { key: 'lastAudit', label: 'Last audit', type: 'datetime' },
  { key: 'tier', label: 'Tier', type: 'select', options: ['gold', 'silver', 'bronze'] },
  { key: 'modules', label: 'Modules', type: 'multiselect', options: ['crm', 'billing', 'support'] },
  { key: 'portal', label: 'Customer portal', type: 'url' },
  { key: 'billingEmail', label: 'Billing email', type: 'email' },
];

/** A tenant whose admin defined every field of FIELDS, and a rep of it. */
async function tenantWithFields() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  for (const field of FIELDS) expect((await define(admin, field)).status).toBe(201);
  return { tenant, admin, rep };
}

describe('POST and GET /custom-fields', () => {
  it('an admin defines a field of every type; every user of the tenant lists them in key order', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);

    const answers = [];
    for (const field of FIELDS) answers.push(await define(admin, field));

    expect(answers.map((a) => a.status)).toEqual(FIELDS.map(() => 201));
    expect(answers[5]!.body).toEqual({
      key: 'tier', appliesTo: 'customer', label: 'Tier', type: 'select', options: ['gold', 'silver', 'bronze'], description: null,
      createdAt: expect.any(String), createdBy: 'admin-1', createdByName: null,
    });
    expect(answers[0]!.body).toMatchObject({ options: null, description: 'Anything worth knowing' });

    const listed = await list(await tokenFor(tenant, 'rep-1', ['rep']));
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((d) => d.key)).toEqual(['billingEmail', 'contractEnd', 'lastAudit', 'modules', 'notes', 'portal', 'seats', 'tier', 'vip']);
    expect(listed.body.items.find((d) => d.key === 'tier')).toEqual(answers[5]!.body);
  });

  it('answers 409 for a key already defined, also when two admins race for it', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    await define(admin, { key: 'seats', label: 'Seats', type: 'number' });

    const again = await define(admin, { key: 'seats', label: 'Licences', type: 'text' });
    const race = await Promise.all([1, 2, 3, 4].map((i) => define(admin, { key: 'region2', label: `Region ${i}`, type: 'text' })));

    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ type: 'urn:crm:problem:custom-field-exists', key: 'seats' });
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await list(admin)).body.items.find((d) => d.key === 'seats')).toMatchObject({ label: 'Seats', type: 'number' });
  });

  it('forbids everyone but admins to define fields (403), and needs a token', async () => {
    const tenant = newTenant();
    for (const group of ['manager', 'rep', 'marketer', 'agent']) {
      const res = await define(await tokenFor(tenant, `${group}-1`, [group]), { key: 'seats', label: 'Seats', type: 'number' });
      expect(res.status, group).toBe(403);
    }
    expect((await call('POST', '/custom-fields', { body: { key: 'seats', label: 'Seats', type: 'number' } })).status).toBe(401);
    expect((await list(await tokenFor(tenant, 'admin-1', ['admin']))).body.items).toEqual([]);
  });

  it.each([
    [{ key: 'tier', label: 'Tier', type: 'select' }, ['options']],
    [{ key: 'tier', label: 'Tier', type: 'multiselect', options: [] }, ['options']],
    [{ key: 'tier', label: 'Tier', type: 'select', options: ['a', 'a'] }, ['options']],
    [{ key: 'seats', label: 'Seats', type: 'number', options: ['1'] }, ['options']],
    [{ key: 'Seats', label: 'Seats', type: 'number' }, ['key']],
    [{ key: 'seat-count', label: '', type: 'money' }, ['key', 'label', 'type']],
    [{ key: 'seats', label: 'Seats', type: 'number', required: true }, ['required']],
  ])('rejects the definition %j naming %j (400)', async (body, expected) => {
    const res = await define(await tokenFor(newTenant(), 'admin-1', ['admin']), body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(res.body)).toEqual(expected);
  });

  it('stops at 100 fields per tenant, also when the last ones are defined concurrently', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    for (let batch = 0; batch < 99; batch += 9) {
      const keys = Array.from({ length: Math.min(9, 99 - batch) }, (_, i) => `f${batch + i}`);
      const answers = await Promise.all(keys.map((key) => define(admin, { key, label: key, type: 'text' })));
      expect(answers.map((a) => a.status)).toEqual(keys.map(() => 201));
    }

    const last = await Promise.all(['x1', 'x2', 'x3'].map((key) => define(admin, { key, label: key, type: 'boolean' })));

    expect(last.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(last.filter((r) => r.status === 409).map((r) => r.body.type)).toEqual(['urn:crm:problem:custom-field-limit-reached', 'urn:crm:problem:custom-field-limit-reached']);
    expect((await list(admin)).body.items).toHaveLength(100);
  });
});

describe('customers with custom fields', () => {
  it('stores valid values as normalized and reads them back', async () => {
    const { rep } = await tenantWithFields();

    const created = await createCustomer(rep, {
      name: 'Acme',
      customFields: {
        notes: ' Prefers calls ',
        seats: 25,
        vip: true,
        contractEnd: '2027-03-31',
        lastAudit: '2026-03-31T14:30:00+02:00',
        tier: 'gold',
        modules: ['crm', 'support'],
        portal: 'https://portal.acme.example/login',
        billingEmail: 'Billing@Acme.example',
      },
    });
    const read = await call<CustomerBody>('GET', `/customers/${created.body.id}`, { token: rep });

    expect(created.status).toBe(201);
    expect(read.body.customFields).toEqual({
      notes: 'Prefers calls',
      seats: 25,
      vip: true,
      contractEnd: '2027-03-31',
      lastAudit: '2026-03-31T12:30:00.000Z',
      tier: 'gold',
      modules: ['crm', 'support'],
      portal: 'https://portal.acme.example/login',
      billingEmail: 'billing@acme.example',
    });
    expect(read.body).toEqual(created.body);
  });

  it('gives a customer without custom fields an empty object', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Plain' });
    expect(created.body.customFields).toEqual({});
  });

  it('rejects invalid values naming customFields.<key> and stores nothing', async () => {
    const { tenant, rep } = await tenantWithFields();
    const email = uniqueEmail();

    const res = await createCustomer(rep, {
      name: 'Invalid',
      emails: [email],
      customFields: { seats: 'many', tier: 'platinum', contractEnd: '2026-02-30', modules: ['crm', 'crm'], colour: 'red', notes: 'ok' },
    });

    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(res.body)).toEqual([
      'customFields.colour', 'customFields.contractEnd', 'customFields.modules', 'customFields.seats', 'customFields.tier',
    ]);
    // The email was not claimed: nothing of the failed create was written.
    expect((await createCustomer(await tokenFor(tenant, 'rep-2', ['rep']), { name: 'Valid', emails: [email] })).status).toBe(201);
  });

  it('a PATCH merges per key: present keys replace, null removes, missing keys stay', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Merge', customFields: { seats: 10, tier: 'gold', vip: false } });

    const patched = await patch(rep, created.body.id, { customFields: { seats: 12, vip: null, modules: ['billing'] } }, 1);
    const read = await call<CustomerBody>('GET', `/customers/${created.body.id}`, { token: rep });

    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, customFields: { seats: 12, tier: 'gold', modules: ['billing'] } });
    expect(read.body.customFields).toEqual({ seats: 12, tier: 'gold', modules: ['billing'] });
  });

  it('rejects an invalid PATCH naming the key and leaves the customer as it was', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Kept', customFields: { seats: 10 } });

    const res = await patch(rep, created.body.id, { region: 'EMEA', customFields: { seats: 11, portal: 'not a url' } }, 1);
    const read = await call<CustomerBody & { region: string | null }>('GET', `/customers/${created.body.id}`, { token: rep });

    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['customFields.portal']);
    expect(read.body).toMatchObject({ version: 1, region: null, customFields: { seats: 10 } });
  });

  it('names customFields in the update event, and a patch that sets the same values changes nothing', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Evented', customFields: { tier: 'silver' } });

    await patch(rep, created.body.id, { customFields: { tier: 'gold' } }, 1);
    const unchanged = await patch(rep, created.body.id, { customFields: { tier: 'gold', vip: null } }, 2);
    await settle();

    const { body } = await call<{ events: { event: { detail: { data: { customerId: string; changedFields: string[]; version: number } } } }[] }>(
      'GET',
      '/_local/events?detailType=crm.customer.updated.v1',
    );
    const mine = body.events.map((e) => e.event.detail.data).filter((d) => d.customerId === created.body.id);
    expect(unchanged.body.version).toBe(2);
    expect(mine).toEqual([{ customerId: created.body.id, changedFields: ['customFields'], version: 2 }]);
  });

  it("keeps tenants apart: another tenant cannot use a field it has not defined", async () => {
    const { rep: repOfA } = await tenantWithFields();
    const tenantB = newTenant();
    const repOfB = await tokenFor(tenantB, 'rep-1', ['rep']);

    const res = await createCustomer(repOfB, { name: 'Other', customFields: { seats: 3 } });

    expect(res.status).toBe(400);
    expect(paths(res.body)).toEqual(['customFields.seats']);
    expect((await list(repOfB)).body.items).toEqual([]);
    expect((await createCustomer(repOfA, { name: 'Mine', customFields: { seats: 3 } })).status).toBe(201);
  });
});
