import { describe, expect, it } from 'vitest';
import { call, uniqueEmail } from '../client';
import { marketingTenant } from '../marketing-fixtures';

/** Contacts segments (docs/marketing.md, "Segments"): the people at company customers, under their own consent. */
interface ContactPreview {
  audience: string;
  count: number;
  index: string;
  partitions: number;
  scanned: number;
  complete: boolean;
  sample: { id: string; customerId: string; companyName: string; name: string; title: string | null; email: string }[];
}

async function tenantWithContacts() {
  const t = await marketingTenant();
  const customer = async (body: Record<string, unknown>) => {
    const res = await call<{ id: string }>('POST', '/customers', { token: t.admin, body: { emails: [uniqueEmail()], ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const contact = async (customerId: string, name: string, consent: Record<string, boolean>, withEmail = true) => {
    const body = { name, title: 'Buyer', ...(withEmail ? { emails: [uniqueEmail(name.toLowerCase())] } : {}), consent };
    const res = await call<{ id: string; emails: string[] }>('POST', `/customers/${customerId}/contacts`, { token: t.admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, email: res.body.emails[0] };
  };
  // The company itself has not consented: a contacts segment asks each contact.
  const acme = await customer({ kind: 'company', name: 'Acme', industry: 'Retail', tags: ['vip'], consent: { newsletter: false } });
  const mine = await customer({ kind: 'company', name: 'Deep Mines', industry: 'Mining', tags: ['vip'] });
  const person = await customer({ kind: 'person', name: 'Pat Person', industry: 'Retail', tags: ['vip'], consent: { newsletter: true } });
  const people = {
    ann: await contact(acme, 'Ann', { newsletter: true }),
    bob: await contact(acme, 'Bob', { newsletter: false }),
    cid: await contact(acme, 'Cid', { newsletter: true }, false),
    dan: await contact(mine, 'Dan', { newsletter: true }),
  };
  return { ...t, acme, mine, person, people };
}

const save = (token: string, body: Record<string, unknown>) => call<{ id: string; audience: string; errors?: { path: string }[] }>('POST', '/segments', { token, body: { name: 'Contacts', ...body } });
const preview = async (token: string, id: string) => {
  const res = await call<ContactPreview>('GET', `/segments/${id}/preview`, { token });
  expect(res.status).toBe(200);
  return res.body;
};

describe('contacts segments', () => {
  it('select the contacts with an address of the matching company customers, consent read on each contact', async () => {
    const s = await tenantWithContacts();
    const segment = await save(s.marketer, { audience: 'contacts', definition: { industries: ['Retail'], tags: { any: ['vip'] }, consentGranted: ['newsletter'] } });
    expect(segment.status).toBe(201);
    expect(segment.body.audience).toBe('contacts');
    const body = await preview(s.marketer, segment.body.id);
    // Three customers on the tenant list, then Acme's three contacts: the person and the miner cost no contact read.
    expect(body).toMatchObject({ audience: 'contacts', count: 1, index: 'GSI4', partitions: 1, complete: true, scanned: 6 });
    expect(body.sample).toEqual([{ id: s.people.ann.id, customerId: s.acme, companyName: 'Acme', name: 'Ann', title: 'Buyer', email: s.people.ann.email, updatedAt: expect.any(String) }]);

    // Without a consent criterion every contact with an address of every company: Ann, Bob and Dan.
    const everyone = await preview(s.marketer, (await save(s.marketer, { audience: 'contacts', definition: {} })).body.id);
    expect(everyone.count).toBe(3);
    expect(everyone.sample.map((c) => c.id).sort()).toEqual([s.people.ann.id, s.people.bob.id, s.people.dan.id].sort());

    // The same criteria as a customers segment select the consenting person, not the companies' people.
    const customers = await preview(s.marketer, (await save(s.marketer, { definition: { industries: ['Retail'], consentGranted: ['newsletter'] } })).body.id);
    expect(customers.sample.map((c) => c.id)).toEqual([s.person]);
  });

  it('refuses `kinds` (its companies are companies), lead criteria and unknown audiences, naming the field', async () => {
    const s = await tenantWithContacts();
    const kinds = await save(s.marketer, { audience: 'contacts', definition: { kinds: ['company'] } });
    expect(kinds.status).toBe(400);
    expect(kinds.body.errors?.map((e) => e.path)).toEqual(['definition.kinds']);
    const statuses = await save(s.marketer, { audience: 'contacts', definition: { leadStatuses: ['nurture'] } });
    expect(statuses.body.errors?.map((e) => e.path)).toEqual(['definition.leadStatuses']);
    const unknown = await save(s.marketer, { audience: 'contact', definition: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.path)).toEqual(['audience']);
    // A customers export takes no contacts segment.
    const segment = await save(s.marketer, { audience: 'contacts', definition: {} });
    const exported = await call<{ errors: { path: string }[] }>('POST', '/exports', { token: s.marketer, body: { entity: 'customers', segmentId: segment.body.id } });
    expect(exported.status).toBe(400);
    expect(exported.body.errors.map((e) => e.path)).toEqual(['segmentId']);
  });
});
