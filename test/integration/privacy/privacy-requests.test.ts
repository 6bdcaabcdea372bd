import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { addressHash } from '../../../shared/consent/suppression-key';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from '../client';
import { itemsMentioning, uniquePhone } from './privacy-fixtures';

/**
 * Privacy requests by person (docs/privacy.md, "Requests by address"): one person who is a
 * customer, a contact at a company, a lead and on the suppression list under one email. The
 * export finds each in its section; the erasure leaves nothing in the table naming them, the
 * suppression keeps working by hash, and the stored request holds no personal data.
 */

interface Found { kind: string; id?: string; customerId?: string; done?: boolean }
interface RequestView { id: string; type: string; status: string; requestedBy: string; completedAt: string | null; found: Found[]; counts: Record<string, number>; steps: { total: number; done: number } | null }

async function person() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const mark = `qz${randomUUID().slice(0, 8)}`;
  const email = `${mark}@example.com`;
  const phone = uniquePhone();
  const name = `Jane ${mark}`;
  const lead = await call<{ id: string }>('POST', '/leads', { token: admin, body: { name, email, phone: phone.typed, message: `Call me, ${mark}` } });
  expect(lead.status, JSON.stringify(lead.body)).toBe(201);
  const customer = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'person', name, emails: [email], phones: [phone.typed] } });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const company = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'company', name: `Northwind ${randomUUID().slice(0, 6)} Ltd` } });
  expect(company.status, JSON.stringify(company.body)).toBe(201);
  const contact = await call<{ id: string }>('POST', `/customers/${company.body.id}/contacts`, { token: admin, body: { name, title: 'Buyer', emails: [email], phones: [phone.typed] } });
  expect(contact.status, JSON.stringify(contact.body)).toBe(201);
  expect((await call('POST', '/suppressions', { token: admin, body: { email } })).status).toBe(201);
  // The contact is found through the search index, which the stream fills.
  await settle();
  return { tenant, admin, rep, mark, email, phone, name, leadId: lead.body.id, customerId: customer.body.id, companyId: company.body.id, contactId: contact.body.id };
}

describe('privacy requests by person', () => {
  it('bad input is a 400 naming the field; a rep gets 403', async () => {
    const { admin, rep, email } = await person();
    for (const [body, field] of [
      [{ type: 'export' }, 'email'],
      [{ type: 'export', email: 'not an address' }, 'email'],
      [{ type: 'export', phone: '030 1234567' }, 'phone'],
      [{ type: 'forget', email }, 'type'],
    ] as const) {
      const res = await call<{ errors: { path: string }[] }>('POST', '/privacy/requests', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e) => e.path)).toContain(field);
    }
    expect((await call('POST', '/privacy/requests', { token: rep, body: { type: 'export', email } })).status).toBe(403);
    expect((await call('GET', '/privacy/requests', { token: rep })).status).toBe(403);
  });

  it('an export by email lists the customer, the contact, the lead and the suppression in their sections, with requests independent of the tenant', async () => {
    const { admin, email, name, leadId, customerId, companyId, contactId } = await person();
    // A neighbour whose address starts like the person's, in the same index partition: not them.
    expect((await call('POST', `/customers/${companyId}/contacts`, { token: admin, body: { name: 'Someone Else', emails: [`${email}.au`] } })).status).toBe(201);
    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');
    const res = await call<{ request: RequestView; export: { customers: { customerId: string; profile: { name: string } }[]; contacts: { id: string; customerId: string; name: string }[]; leads: { leadId: string }[]; suppression: { suppressed: boolean; reason: string } } }>(
      'POST', '/privacy/requests', { token: admin, body: { type: 'export', email } },
    );
    const { operations } = (await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests')).body;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.export.customers.map((c) => [c.customerId, c.profile.name])).toEqual([[customerId, name]]);
    expect(res.body.export.contacts.map((c) => [c.customerId, c.id, c.name])).toEqual([[companyId, contactId, name]]);
    expect(res.body.export.leads.map((l) => l.leadId)).toEqual([leadId]);
    expect(res.body.export.suppression).toMatchObject({ suppressed: true, reason: 'manual' });
    expect(res.body.request).toMatchObject({ type: 'export', status: 'completed', counts: { customers: 1, contacts: 1, leads: 1, suppression: 1 } });
    // Guards and suppression in one BatchGetItem, contacts by one index Query and one BatchGetItem,
    // each record's own export one Query, the request one PutItem (docs/privacy.md).
    expect(Object.fromEntries(Object.entries(operations).map(([op, c]) => [op, c.requests]))).toEqual({ BatchGetItem: 2, Query: 3, PutItem: 1 });
  });

  it('an erasure by email and phone leaves nothing naming the person; the suppression keeps working by hash; the record holds no personal data', async () => {
    const { tenant, admin, rep, mark, email, phone, leadId, customerId, companyId, contactId } = await person();
    expect((await itemsMentioning(mark, phone.stored)).length).toBeGreaterThan(0);
    await call('POST', '/_local/dynamodb-requests/reset');
    const res = await call<{ request: RequestView }>('POST', '/privacy/requests', { token: admin, body: { type: 'erasure', email, phone: phone.typed } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // By key and index only (docs/privacy.md counts them): never a Scan of the tenant.
    const { operations } = (await call<{ operations: Record<string, { requests: number }> }>('GET', '/_local/dynamodb-requests')).body;
    expect(operations.Scan).toBeUndefined();
    const id = res.body.request.id;
    expect(res.headers.get('location')).toBe(`/privacy/requests/${id}`);
    expect(res.body.request).toMatchObject({ type: 'erasure', status: 'completed', steps: { total: 4, done: 4 } });

    expect(await itemsMentioning(mark, phone.stored, email)).toEqual([]);
    await settle();
    expect(await itemsMentioning(mark, phone.stored, email)).toEqual([]);
    // The company stays; its contact went. The customer and lead answer 410.
    expect((await call('GET', `/customers/${companyId}`, { token: admin })).status).toBe(200);
    expect((await call('GET', `/customers/${companyId}/contacts/${contactId}`, { token: admin })).status).toBe(404);
    expect((await call('GET', `/customers/${customerId}`, { token: admin })).status).toBe(410);
    expect((await call('GET', `/leads/${leadId}`, { token: admin })).status).toBe(410);
    // Still suppressed, by hash only.
    const { Item } = await db().send(new GetCommand({ TableName: stack().tableName, Key: { PK: `T#${tenant}#SUPPRESSED`, SK: `EMAIL#${addressHash(email)}` } }));
    expect(Item).toMatchObject({ email: null, reason: 'manual' });

    const shown = await call<RequestView>('GET', `/privacy/requests/${id}`, { token: admin });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, type: 'erasure', status: 'completed', requestedBy: 'admin-1', counts: { customers: 1, contacts: 1, leads: 1, suppression: 1 } });
    expect(shown.body.found).toEqual(expect.arrayContaining([{ kind: 'customer', id: customerId, done: true }, { kind: 'contact', id: contactId, customerId: companyId, done: true }, { kind: 'lead', id: leadId, done: true }, { kind: 'suppression', done: true }]));
    expect(JSON.stringify(shown.body)).not.toMatch(new RegExp(`${mark}|${phone.stored.slice(1)}|${addressHash(email)}`));
    expect((await call('GET', `/privacy/requests/${id}`, { token: rep })).status).toBe(403);
    const listed = await call<{ items: RequestView[] }>('GET', '/privacy/requests', { token: admin });
    expect(listed.body.items.map((r) => r.id)).toEqual([id]);
    // Repeating the run of a completed request changes nothing.
    expect((await call<RequestView>('POST', `/privacy/requests/${id}/run`, { token: admin })).body.status).toBe('completed');
  });

  it('an erasure that stopped part-way is finished by running it again; meanwhile a second erasure of the person gets 409 naming it', async () => {
    const { tenant, admin, mark, email, phone, leadId } = await person();
    // As a request that died after storing itself and its lock: nothing erased yet.
    const id = '01JD0000000000000000000PRQ';
    const table = stack().tableName;
    await db().send(new PutCommand({ TableName: table, Item: {
      PK: `T#${tenant}#PRIVREQ`, SK: `REQ#${id}`, entity: 'PrivacyRequest', id, tenantId: tenant, type: 'erasure', status: 'running', addressKinds: ['email'],
      found: [{ kind: 'lead', id: leadId }, { kind: 'suppression', id: addressHash(email) }], done: [], requestedBy: 'admin-1', requestedAt: '2026-12-07T12:00:00.000Z', completedAt: null,
    } }));
    await db().send(new PutCommand({ TableName: table, Item: { PK: `T#${tenant}#PRIVREQ`, SK: `OPEN#${addressHash(email)}`, entity: 'PrivacyRequestLock', requestId: id } }));

    const second = await call<{ type: string; detail: string }>('POST', '/privacy/requests', { token: admin, body: { type: 'erasure', email } });
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(id);
    expect(second.body).toMatchObject({ requestId: id, location: `/privacy/requests/${id}` });
    expect((await call<RequestView>('GET', `/privacy/requests/${id}`, { token: admin })).body).toMatchObject({ status: 'running', steps: { total: 2, done: 0 } });

    const run = await call<RequestView>('POST', `/privacy/requests/${id}/run`, { token: admin });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body).toMatchObject({ status: 'completed', steps: { total: 2, done: 2 } });
    expect((await call('GET', `/leads/${leadId}`, { token: admin })).status).toBe(410);
    // The lock (the address's hash) went with the work; the person can be asked about again.
    expect((await db().send(new GetCommand({ TableName: table, Key: { PK: `T#${tenant}#PRIVREQ`, SK: `OPEN#${addressHash(email)}` }, ConsistentRead: true }))).Item).toBeUndefined();
    const again = await call<{ request: RequestView }>('POST', '/privacy/requests', { token: admin, body: { type: 'erasure', email, phone: phone.typed } });
    expect(again.status).toBe(201);
    expect(again.body.request.counts).toEqual({ customers: 1, contacts: 1, leads: 0, suppression: 1 });
    await settle();
    expect(await itemsMentioning(mark, phone.stored, email)).toEqual([]);
  });

  it('two erasures of one person at once end with one erasure and nothing left', async () => {
    const { admin, mark, email, phone } = await person();
    const results = await Promise.all([1, 2].map(() => call<{ request?: RequestView }>('POST', '/privacy/requests', { token: admin, body: { type: 'erasure', email } })));
    const statuses = results.map((r) => r.status).sort();
    expect([[201, 201], [201, 409]]).toContainEqual(statuses);
    // Whichever ran second found nothing left to erase, or was refused while the first ran.
    const erased = results.filter((r) => r.status === 201).map((r) => r.body.request!.counts.customers ?? 0);
    expect(erased.reduce((a, b) => a + b, 0)).toBe(1);
    await settle();
    expect(await itemsMentioning(mark, phone.stored, email)).toEqual([]);
  });
});
