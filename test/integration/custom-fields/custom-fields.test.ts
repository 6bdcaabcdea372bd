import { isProblem, type Schemas } from '@serverless-crm/client';
import { describe, expect, it } from 'vitest';
import { call, crm, newTenant, settle, tokenFor, uniqueEmail } from '../client';

// Definitions are sent with `call`: several tests send definitions the typed client would refuse
// to compile (a `money` type, an unknown `required`), which is what they test. Everything else
// goes through the typed client, whose types are the document's (no hand-written copies here).
const define = (token: string, body: Record<string, unknown>) =>
  call<Schemas['CustomField'] & Schemas['ProblemDetails']>('POST', '/custom-fields', { token, body });
const list = (token: string) => crm(token).GET('/custom-fields');
const createCustomer = (token: string, body: Schemas['CreateCustomerInput']) => crm(token).POST('/customers', { body });
const readCustomer = async (token: string, id: string) => (await crm(token).GET('/customers/{id}', { params: { path: { id } } })).data!;
const patch = (token: string, id: string, body: Schemas['CustomerPatch'], version: number) =>
  crm(token).PATCH('/customers/{id}', {
    params: { path: { id }, header: { 'If-Match': `"${version}"` } },
    body,
    headers: { 'Content-Type': 'application/merge-patch+json' },
  });
/** The failing fields' paths of a problem answer, sorted. */
const paths = (body: unknown) => (isProblem(body) ? (body.errors ?? []) : []).map((e) => e.path).sort();

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
    expect(listed.response.status).toBe(200);
    expect(listed.data!.items.map((d) => d.key)).toEqual(['billingEmail', 'contractEnd', 'lastAudit', 'modules', 'notes', 'portal', 'seats', 'tier', 'vip']);
    expect(listed.data!.items.find((d) => d.key === 'tier')).toEqual(answers[5]!.body);
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
    expect((await list(admin)).data!.items.find((d) => d.key === 'seats')).toMatchObject({ label: 'Seats', type: 'number' });
  });

  it('forbids everyone but admins to define fields (403), and needs a token', async () => {
    const tenant = newTenant();
    for (const group of ['manager', 'rep', 'marketer', 'agent']) {
      const res = await define(await tokenFor(tenant, `${group}-1`, [group]), { key: 'seats', label: 'Seats', type: 'number' });
      expect(res.status, group).toBe(403);
    }
    expect((await call('POST', '/custom-fields', { body: { key: 'seats', label: 'Seats', type: 'number' } })).status).toBe(401);
    expect((await list(await tokenFor(tenant, 'admin-1', ['admin']))).data!.items).toEqual([]);
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
    expect((await list(admin)).data!.items).toHaveLength(100);
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
    const read = await readCustomer(rep, created.data!.id);

    expect(created.response.status).toBe(201);
    expect(read.customFields).toEqual({
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
    expect(read).toEqual(created.data);
  });

  it('gives a customer without custom fields an empty object', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Plain' });
    expect(created.data!.customFields).toEqual({});
  });

  it('rejects invalid values naming customFields.<key> and stores nothing', async () => {
    const { tenant, rep } = await tenantWithFields();
    const email = uniqueEmail();

    const res = await createCustomer(rep, {
      name: 'Invalid',
      emails: [email],
      customFields: { seats: 'many', tier: 'platinum', contractEnd: '2026-02-30', modules: ['crm', 'crm'], colour: 'red', notes: 'ok' },
    });

    expect(res.response.status).toBe(400);
    expect(res.response.headers.get('content-type')).toBe('application/problem+json');
    expect(paths(res.error)).toEqual([
      'customFields.colour', 'customFields.contractEnd', 'customFields.modules', 'customFields.seats', 'customFields.tier',
    ]);
    // The email was not claimed: nothing of the failed create was written.
    expect((await createCustomer(await tokenFor(tenant, 'rep-2', ['rep']), { name: 'Valid', emails: [email] })).response.status).toBe(201);
  });

  it('a PATCH merges per key: present keys replace, null removes, missing keys stay', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Merge', customFields: { seats: 10, tier: 'gold', vip: false } });

    const patched = await patch(rep, created.data!.id, { customFields: { seats: 12, vip: null, modules: ['billing'] } }, 1);
    const read = await readCustomer(rep, created.data!.id);

    expect(patched.response.status).toBe(200);
    expect(patched.data).toMatchObject({ version: 2, customFields: { seats: 12, tier: 'gold', modules: ['billing'] } });
    expect(read.customFields).toEqual({ seats: 12, tier: 'gold', modules: ['billing'] });
  });

  it('rejects an invalid PATCH naming the key and leaves the customer as it was', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Kept', customFields: { seats: 10 } });

    const res = await patch(rep, created.data!.id, { region: 'EMEA', customFields: { seats: 11, portal: 'not a url' } }, 1);
    const read = await readCustomer(rep, created.data!.id);

    expect(res.response.status).toBe(400);
    expect(paths(res.error)).toEqual(['customFields.portal']);
    expect(read).toMatchObject({ version: 1, region: null, customFields: { seats: 10 } });
  });

  it('names customFields in the update event, and a patch that sets the same values changes nothing', async () => {
    const { rep } = await tenantWithFields();
    const created = await createCustomer(rep, { name: 'Evented', customFields: { tier: 'silver' } });

    await patch(rep, created.data!.id, { customFields: { tier: 'gold' } }, 1);
    const unchanged = await patch(rep, created.data!.id, { customFields: { tier: 'gold', vip: null } }, 2);
    await settle();

    const { body } = await call<{ events: { event: { detail: { data: { customerId: string; changedFields: string[]; version: number } } } }[] }>(
      'GET',
      '/_local/events?detailType=crm.customer.updated.v1',
    );
    const mine = body.events.map((e) => e.event.detail.data).filter((d) => d.customerId === created.data!.id);
    expect(unchanged.data!.version).toBe(2);
    expect(mine).toEqual([{ customerId: created.data!.id, changedFields: ['customFields'], version: 2 }]);
  });

  it("keeps tenants apart: another tenant cannot use a field it has not defined", async () => {
    const { rep: repOfA } = await tenantWithFields();
    const tenantB = newTenant();
    const repOfB = await tokenFor(tenantB, 'rep-1', ['rep']);

    const res = await createCustomer(repOfB, { name: 'Other', customFields: { seats: 3 } });

    expect(res.response.status).toBe(400);
    expect(paths(res.error)).toEqual(['customFields.seats']);
    expect((await list(repOfB)).data!.items).toEqual([]);
    expect((await createCustomer(repOfA, { name: 'Mine', customFields: { seats: 3 } })).response.status).toBe(201);
  });
});
