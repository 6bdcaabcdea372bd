import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

interface CustomerBody {
  id: string;
  kind: string;
  name: string;
  emails: string[];
  phones: string[];
  domain: string | null;
  lifecycleStage: string;
  ownerId: string | null;
  teamId: string | null;
  consent: Record<string, boolean>;
  version: number;
  createdAt: string;
}
interface Conflict {
  field: string;
  value: string;
  existingCustomerId: string;
  existingOwnerId: string | null;
}

const create = (token: string, body: Record<string, unknown>) => call<CustomerBody>('POST', '/customers', { token, body });
const patch = (token: string, id: string, body: Record<string, unknown>, ifMatch?: string) =>
  call<CustomerBody & { currentVersion?: number }>('PATCH', `/customers/${id}`, {
    token,
    body,
    contentType: 'application/merge-patch+json',
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
  });

describe('POST /customers and GET /customers/{id}', () => {
  it('creates a customer owned by the rep, normalized, and reads it back', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const email = uniqueEmail('Ada').toUpperCase();

    const created = await create(rep, {
      kind: 'company',
      name: 'Analytical Engines Ltd',
      emails: [email],
      phones: ['+44 (20) 7946-0018'],
      website: 'https://WWW.Engines-ltd.example/about',
      lifecycleStage: 'mql',
      tags: ['key-account'],
      consent: { marketing: true },
    });

    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/customers/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({
      kind: 'company',
      emails: [email.toLowerCase()],
      phones: ['+442079460018'],
      domain: 'engines-ltd.example',
      lifecycleStage: 'mql',
      ownerId: 'rep-1',
      consent: { marketing: true },
      version: 1,
    });
    const read = await call<CustomerBody>('GET', `/customers/${created.body.id}`, { token: rep });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('names a phone without country code as the invalid field', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const res = await call<{ errors: { path: string }[] }>('POST', '/customers', { token: rep, body: { name: 'X', phones: ['030 1234567'] } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path)).toEqual(['phones.0']);
  });

  it('answers 404 for another tenant\'s customer, never its data', async () => {
    const owner = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const created = await create(owner, { name: 'Secret', emails: [uniqueEmail()] });
    const otherAdmin = await tokenFor(newTenant(), 'admin-1', ['admin']);

    const res = await call('GET', `/customers/${created.body.id}`, { token: otherAdmin });

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(JSON.stringify(res.body)).not.toContain('Secret');
  });

  it("hides a customer from a rep who does not own it and from other teams' managers, not from the owner's manager", async () => {
    const tenant = newTenant();
    const created = await create(await tokenFor(tenant, 'rep-1', ['rep'], 'north'), { name: 'Mine', emails: [uniqueEmail()] });
    const read = async (token: string) => (await call('GET', `/customers/${created.body.id}`, { token })).status;

    expect(created.body.teamId).toBe('north');
    expect(await read(await tokenFor(tenant, 'rep-2', ['rep'], 'north'))).toBe(404);
    expect(await read(await tokenFor(tenant, 'mgr-1', ['manager'], 'north'))).toBe(200);
    expect(await read(await tokenFor(tenant, 'mgr-2', ['manager'], 'south'))).toBe(404);
    expect(await read(await tokenFor(tenant, 'mgr-3', ['manager']))).toBe(404);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await call('GET', '/customers/01JD0000000000000000000000', { token: await tokenFor(newTenant(), 'admin-1', ['admin']) });
    expect(res.status).toBe(404);
  });
});

describe('anti-collision', () => {
  it.each([
    ['email', (v: string) => ({ emails: [v] }), (v: string) => ({ emails: ['other@example.com', v.toUpperCase()] }), uniqueEmail()],
    ['phone', (v: string) => ({ phones: [v] }), () => ({ phones: ['0049 30 1234567'] }), '+49 30 1234567'],
    ['domain', (v: string) => ({ kind: 'company', website: `https://${v}` }), (v: string) => ({ kind: 'company', domain: `www.${v}` }), 'acme-tools.example'],
  ])('tells the rep who already has a customer with that %s (409)', async (field, first, second, value) => {
    const tenant = newTenant();
    const owner = await create(await tokenFor(tenant, 'rep-1', ['rep']), { name: 'First', ...first(value) });

    const res = await call<Conflict>('POST', '/customers', { token: await tokenFor(tenant, 'rep-2', ['rep']), body: { name: 'Second', ...second(value) } });

    expect(owner.status).toBe(201);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ field, existingCustomerId: owner.body.id, existingOwnerId: 'rep-1' });
  });

  it('gives persons no company domain, so two of them may share a website', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const a = await create(rep, { name: 'A', website: 'https://mail-provider.example' });
    const b = await create(rep, { name: 'B', website: 'https://mail-provider.example' });
    expect([a.status, b.status, a.body.domain]).toEqual([201, 201, null]);
  });

  it('lets two tenants hold the same email', async () => {
    const email = uniqueEmail();
    const a = await create(await tokenFor(newTenant(), 'rep-1', ['rep']), { name: 'A', emails: [email] });
    const b = await create(await tokenFor(newTenant(), 'rep-1', ['rep']), { name: 'B', emails: [email] });
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it('resolves concurrent creates of one email with exactly one winner', async () => {
    const tenant = newTenant();
    const email = uniqueEmail('race');
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => tokenFor(tenant, `rep-${i}`, ['rep'])));

    const results = await Promise.all(tokens.map((token, i) => create(token, { name: `Racer ${i}`, emails: [email] })));

    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
  });
});

describe('PATCH /customers/{id}', () => {
  async function existing(extra: Record<string, unknown> = {}) {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep'], 'north');
    const created = await create(rep, { name: 'Ada', emails: [uniqueEmail()], lifecycleStage: 'lead', ...extra });
    return { tenant, rep, id: created.body.id, customer: created.body };
  }

  it('applies a merge patch, bumps the version and returns the new ETag', async () => {
    const { rep, id } = await existing({ industry: 'software', tags: ['a'] });

    const res = await patch(rep, id, { phones: ['+1 415 555 0100'], industry: null, tags: ['a', 'b'] }, '"1"');

    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toMatchObject({ phones: ['+14155550100'], tags: ['a', 'b'], version: 2 });
    expect(res.body).toHaveProperty('industry', null);
    expect((await call<CustomerBody>('GET', `/customers/${id}`, { token: rep })).body.version).toBe(2);
  });

  it('answers 412 with the current version for a stale If-Match, and changes nothing', async () => {
    const { rep, id } = await existing();
    await patch(rep, id, { name: 'Ada B.' }, '"1"');

    const stale = await patch(rep, id, { name: 'Ada C.' }, '"1"');

    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    expect((await call<CustomerBody>('GET', `/customers/${id}`, { token: rep })).body.name).toBe('Ada B.');
  });

  it('answers 428 without If-Match', async () => {
    const { rep, id } = await existing();
    expect((await patch(rep, id, { name: 'X' })).status).toBe(428);
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const { rep, id } = await existing();

    const results = await Promise.all([patch(rep, id, { name: 'One' }, '"1"'), patch(rep, id, { name: 'Two' }, '"1"')]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  it('refuses to take another customer\'s phone and keeps the record as it was', async () => {
    const { tenant, rep, id } = await existing();
    const other = await create(await tokenFor(tenant, 'rep-2', ['rep']), { name: 'Other', phones: ['+33 1 23 45 67 89'] });

    const res = await patch(rep, id, { phones: ['+33123456789'], name: 'Renamed' }, '"1"');

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ field: 'phone', existingCustomerId: other.body.id });
    expect((await call<CustomerBody>('GET', `/customers/${id}`, { token: rep })).body).toMatchObject({ name: 'Ada', phones: [], version: 1 });
  });

  it('frees a removed email so another customer can take it', async () => {
    const { tenant, rep, id, customer } = await existing();
    const released = customer.emails[0]!;

    await patch(rep, id, { emails: [uniqueEmail()] }, '"1"');
    const taker = await create(await tokenFor(tenant, 'rep-2', ['rep']), { name: 'Taker', emails: [released] });

    expect(taker.status).toBe(201);
  });

  it("forbids a rep to edit a customer they do not own, while the owner's manager may", async () => {
    const { tenant, id } = await existing();
    const manager = await tokenFor(tenant, 'mgr-1', ['manager'], 'north');
    const agent = await tokenFor(tenant, 'agent-1', ['agent']);

    expect((await patch(await tokenFor(tenant, 'rep-2', ['rep']), id, { name: 'X' }, '"1"')).status).toBe(404);
    expect((await patch(agent, id, { name: 'X' }, '"1"')).status).toBe(403);
    expect((await patch(manager, id, { name: 'By manager' }, '"1"')).status).toBe(200);
  });

  it('rejects clearing the name, naming the field', async () => {
    const { rep, id } = await existing();
    const res = await call<{ errors: { path: string }[] }>('PATCH', `/customers/${id}`, { token: rep, body: { name: null }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path)).toEqual(['name']);
  });

  it('emits updated (with changed fields) and stage-changed events', async () => {
    const { rep, id } = await existing();

    await patch(rep, id, { lifecycleStage: 'sql', region: 'EMEA' }, '"1"');
    await settle();

    const { body } = await call<{ events: { event: { 'detail-type': string; detail: { data: Record<string, unknown> } } }[] }>('GET', '/_local/events');
    const mine = body.events.filter((e) => e.event.detail.data?.customerId === id).map((e) => [e.event['detail-type'], e.event.detail.data]);
    expect(mine).toEqual(
      expect.arrayContaining([
        ['crm.customer.updated.v1', { customerId: id, changedFields: ['region', 'lifecycleStage'], version: 2 }],
        ['crm.customer.stage-changed.v1', { customerId: id, from: 'lead', to: 'sql', ownerId: 'rep-1' }],
      ]),
    );
  });

  it('writes nothing and emits nothing for a patch that changes nothing', async () => {
    const { rep, id } = await existing({ region: 'EMEA' });

    const res = await patch(rep, id, { region: 'EMEA' }, '"1"');

    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
  });
});
