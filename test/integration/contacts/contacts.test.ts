import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from '../client';

interface Contact {
  id: string;
  name: string;
  title: string | null;
  emails: string[];
  phones: string[];
  consent: Record<string, boolean>;
  version: number;
}

async function company(kind = 'company') {
  const tenant = newTenant();
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { kind, name: 'Acme', emails: [uniqueEmail()] } });
  return { tenant, rep, id: body.id };
}

const add = (token: string, id: string, body: Record<string, unknown>) => call<Contact>('POST', `/customers/${id}/contacts`, { token, body });

describe('contacts of a company customer', () => {
  it('adds a contact with normalized contact points and shows it in the 360 view', async () => {
    const { rep, id } = await company();

    const added = await add(rep, id, { name: 'Grace', title: 'CTO', emails: ['Grace@Acme.example'], phones: ['+1 415 555 0199'], consent: { newsletter: true } });
    const view = await call<{ contacts: { id: string; name: string }[] }>('GET', `/customers/${id}/360`, { token: rep });

    expect(added.status).toBe(201);
    expect(added.headers.get('location')).toBe(`/customers/${id}/contacts/${added.body.id}`);
    expect(added.body).toMatchObject({ name: 'Grace', emails: ['grace@acme.example'], phones: ['+14155550199'], consent: { newsletter: true }, version: 1 });
    expect(view.body.contacts).toEqual([expect.objectContaining({ id: added.body.id, name: 'Grace' })]);
  });

  it('updates a contact with a merge patch and If-Match, 412 when stale', async () => {
    const { rep, id } = await company();
    const { body: contact } = await add(rep, id, { name: 'Grace', title: 'CTO' });
    const path = `/customers/${id}/contacts/${contact.id}`;

    const updated = await call<Contact>('PATCH', path, { token: rep, body: { title: null, phones: ['+44 20 7946 0000'] }, headers: { 'if-match': '"1"' } });
    const stale = await call('PATCH', path, { token: rep, body: { name: 'G.' }, headers: { 'if-match': '"1"' } });

    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: null, phones: ['+442079460000'], version: 2 });
    expect(stale.status).toBe(412);
  });

  it('removes a contact, then answers 404 for it', async () => {
    const { rep, id } = await company();
    const { body: contact } = await add(rep, id, { name: 'Temp' });
    const path = `/customers/${id}/contacts/${contact.id}`;

    expect((await call('DELETE', path, { token: rep })).status).toBe(204);
    expect((await call('DELETE', path, { token: rep })).status).toBe(404);
    expect((await call('PATCH', path, { token: rep, body: { name: 'X' }, headers: { 'if-match': '"1"' } })).status).toBe(404);
  });

  it('refuses contacts on a person customer (409) and names invalid fields (400)', async () => {
    const person = await company('person');
    const acme = await company();

    const onPerson = await add(person.rep, person.id, { name: 'Nobody' });
    const invalid = await call<{ errors: { path: string }[] }>('POST', `/customers/${acme.id}/contacts`, { token: acme.rep, body: { name: 'X', emails: ['bad'] } });

    expect(onPerson.status).toBe(409);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e) => e.path)).toEqual(['emails.0']);
  });

  it('lets only those who may edit the company change its contacts', async () => {
    const { tenant, id } = await company();
    const agent = await tokenFor(tenant, 'agent-1', ['agent']);
    const otherRep = await tokenFor(tenant, 'rep-2', ['rep']);
    const stranger = await tokenFor(newTenant(), 'admin-1', ['admin']);

    expect((await add(agent, id, { name: 'X' })).status).toBe(403);
    expect((await add(otherRep, id, { name: 'X' })).status).toBe(404);
    expect((await add(stranger, id, { name: 'X' })).status).toBe(404);
  });
});
