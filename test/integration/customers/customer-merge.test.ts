import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable as db, settle, stack, tokenFor, uniqueEmail } from '../client';

interface Customer {
  id: string;
  kind: string;
  emails: string[];
  phones: string[];
  tags: string[];
  ownerId: string | null;
  consent: Record<string, boolean>;
  version: number;
}
interface Problem {
  type: string;
  status: number;
  mergedInto?: string;
  location?: string;
  existingCustomerId?: string;
  field?: string;
  errors?: { path: string }[];
}
interface Activity {
  id: string;
  type: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
}

/** Every item of a customer's partition, straight from the table. */
async function partition(tenant: string, id: string) {
  const { Items } = await db().send(
    new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${id}` } }),
  );
  return Items ?? [];
}

async function create(token: string, body: Record<string, unknown>) {
  const res = await call<Customer>('POST', '/customers', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const merge = (token: string, survivorId: string, sourceId: string, headers: Record<string, string> = {}) =>
  call<Customer & Problem>('POST', `/customers/${survivorId}/merge`, { token, body: { sourceId }, headers });

async function setup(kind = 'company') {
  const tenant = newTenant();
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const manager = await tokenFor(tenant, 'mgr-1', ['manager']);
  const admin = await tokenFor(tenant, 'adm-1', ['admin']);
  return { tenant, rep, manager, admin, kind };
}

describe('POST /customers/{id}/merge', () => {
  it('moves contacts, activities and guards to the survivor, which answers for both from then on', async () => {
    const { tenant, rep } = await setup();
    const [a, b] = [uniqueEmail('a'), uniqueEmail('b')];
    const survivor = await create(rep, { kind: 'company', name: 'Acme', emails: [a], tags: ['vip'] });
    const source = await create(rep, { kind: 'company', name: 'ACME Ltd', emails: [b], phones: ['+49 30 5550100'], tags: ['berlin'], region: 'EMEA', consent: { marketing: true } });
    const contact = await call<{ id: string }>('POST', `/customers/${source.id}/contacts`, { token: rep, body: { name: 'Grace' } });
    const call1 = await call<{ id: string }>('POST', `/customers/${source.id}/activities`, { token: rep, body: { type: 'call', subject: 'Pricing' } });
    await settle();

    const res = await merge(rep, survivor.id, source.id);

    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toMatchObject({ id: survivor.id, emails: [a, b], phones: ['+49305550100'], tags: ['vip', 'berlin'], region: 'EMEA', consent: { marketing: true }, version: 2 });

    // The survivor's 360 view holds the source's contact and activities, and a merge entry.
    const view = await call<{ contacts: { id: string; customerId: string }[]; latestActivities: Activity[] }>('GET', `/customers/${survivor.id}/360`, { token: rep });
    expect(view.body.contacts).toEqual([expect.objectContaining({ id: contact.body.id, customerId: survivor.id })]);
    expect(view.body.latestActivities.map((x) => x.id)).toContain(call1.body.id);
    const entry = view.body.latestActivities.find((x) => x.type === 'merge');
    expect(entry).toMatchObject({ subject: `Merged ACME Ltd (${source.id}) into this customer`, payload: { survivorId: survivor.id, sourceId: source.id, role: 'survivor' } });

    // The source partition keeps only its tombstone, its own merge entry and bookkeeping.
    const left = await partition(tenant, source.id);
    const records = left.filter((i) => !String(i.SK).startsWith('$'));
    expect(records.map((i) => [String(i.SK).replace(/#.*/, ''), i.type ?? null])).toEqual([['ACT', 'merge'], ['PROFILE', null]]);
    expect(records[0]).toMatchObject({ subject: 'Merged into Acme (' + survivor.id + ')', payload: { role: 'source' } });
    expect(records[1]).toMatchObject({ mergedInto: survivor.id, version: 2 });
    expect(Object.keys(records[1]!).filter((k) => k.startsWith('GSI'))).toEqual([]);
    expect((await partition(tenant, survivor.id)).find((i) => i.SK === `CONTACT#${contact.body.id}`)).toMatchObject({ customerId: survivor.id });

    // The source answers 410 with a pointer to the survivor, on every route.
    const gone = await call<Problem>('GET', `/customers/${source.id}`, { token: rep });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ type: 'urn:crm:problem:customer-merged', mergedInto: survivor.id });
    expect(gone.headers.get('location')).toBe(`/customers/${survivor.id}`);
    for (const [method, path, body] of [
      ['GET', `/customers/${source.id}/360`],
      ['GET', `/customers/${source.id}/activities`],
      ['POST', `/customers/${source.id}/activities`, { type: 'note' }],
      ['POST', `/customers/${source.id}/contacts`, { name: 'Ada' }],
      ['PATCH', `/customers/${source.id}`, { region: 'APAC' }],
    ] as const) {
      const r = await call<Problem>(method, path, { token: rep, body, headers: { 'if-match': '"2"' } });
      expect([r.status, r.body.mergedInto], `${method} ${path}`).toEqual([410, survivor.id]);
    }
  });

  it("moves the source's uniqueness guards: its email names the survivor, and is released when the survivor drops it", async () => {
    const { rep } = await setup('person');
    const b = uniqueEmail('b');
    const survivor = await create(rep, { name: 'Ada' });
    const source = await create(rep, { name: 'Ada L.', emails: [b] });
    await settle();
    const merged = await merge(rep, survivor.id, source.id);

    const taken = await call<Problem>('POST', '/customers', { token: rep, body: { name: 'Another Ada', emails: [b] } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ field: 'email', existingCustomerId: survivor.id });

    const dropped = await call('PATCH', `/customers/${survivor.id}`, { token: rep, body: { emails: [] }, headers: { 'if-match': merged.headers.get('etag')! } });
    expect(dropped.status).toBe(200);
    expect((await call('POST', '/customers', { token: rep, body: { name: 'Another Ada', emails: [b] } })).status).toBe(201);
  });

  it('publishes crm.customer.merged.v1 with ids, counts and field names only', async () => {
    const { tenant, admin, rep } = await setup();
    const survivor = await create(rep, { kind: 'company', name: 'Acme' });
    const source = await create(rep, { kind: 'company', name: 'Acme 2', emails: [uniqueEmail()], domain: `${tenant}.example` });
    await settle();

    expect((await merge(admin, survivor.id, source.id)).status).toBe(200);
    await settle();

    const { body } = await call<{ events: { event: { detail: { tenantId: string; actor: unknown; data: Record<string, unknown> } } }[] }>(
      'GET',
      '/_local/events?detailType=crm.customer.merged.v1',
    );
    const mine = body.events.filter((e) => e.event.detail.tenantId === tenant).map((e) => e.event.detail);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.actor).toEqual({ type: 'user', id: 'adm-1' });
    expect(mine[0]!.data).toEqual({
      survivorId: survivor.id,
      sourceId: source.id,
      version: 2,
      changedFields: ['emails', 'domain'],
      movedGuards: 2,
      releasedFields: [],
    });
  });

  it('refuses a self-merge (400), a company with a person (409), and a union over a limit (409 naming the field)', async () => {
    const { manager } = await setup();
    const company = await create(manager, { kind: 'company', name: 'Acme', emails: Array.from({ length: 6 }, () => uniqueEmail('c')) });
    const person = await create(manager, { kind: 'person', name: 'Ada' });
    const other = await create(manager, { kind: 'company', name: 'Acme 2', emails: Array.from({ length: 5 }, () => uniqueEmail('d')) });

    const self = await merge(manager, company.id, company.id);
    expect(self.status).toBe(400);
    expect(self.body.errors).toEqual([expect.objectContaining({ path: 'sourceId' })]);
    // The self-merge is named before a malformed If-Match is.
    expect((await merge(manager, company.id, company.id, { 'if-match': 'v1' })).body.errors).toEqual([expect.objectContaining({ path: 'sourceId' })]);
    const kinds = await merge(manager, company.id, person.id);
    expect([kinds.status, kinds.body.type]).toEqual([409, 'urn:crm:problem:kind-mismatch']);
    const limit = await merge(manager, company.id, other.id);
    expect([limit.status, limit.body.type, limit.body.field]).toEqual([409, 'urn:crm:problem:merge-limit-exceeded', 'emails']);
    expect((await merge(manager, company.id, 'NOPE')).status).toBe(404);
    expect((await call('POST', `/customers/${company.id}/activities`, { token: manager, body: { type: 'merge' } })).status).toBe(400);
    expect((await call<Customer>('GET', `/customers/${other.id}`, { token: manager })).body.version).toBe(1);
  });

  it('lets a rep merge only two customers they own; others get 404 or 403, other tenants 404', async () => {
    const { tenant, rep } = await setup('person');
    const rep2 = await tokenFor(tenant, 'rep-2', ['rep']);
    const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
    const mine = await create(rep, { name: 'Mine' });
    const theirs = await create(rep2, { name: 'Theirs' });
    const alsoMine = await create(rep, { name: 'Also mine' });

    expect((await merge(rep, mine.id, theirs.id)).status).toBe(404);
    expect((await merge(rep2, mine.id, theirs.id)).status).toBe(404);
    expect((await merge(marketer, mine.id, alsoMine.id)).status).toBe(403);
    expect((await merge(await tokenFor(newTenant(), 'adm-1', ['admin']), mine.id, alsoMine.id)).status).toBe(404);
    expect((await merge(rep, mine.id, alsoMine.id)).status).toBe(200);
  });

  it("checks an If-Match against the survivor's version (412 when stale)", async () => {
    const { manager } = await setup('person');
    const survivor = await create(manager, { name: 'Ada' });
    const source = await create(manager, { name: 'Ada L.' });
    await call('PATCH', `/customers/${survivor.id}`, { token: manager, body: { region: 'EMEA' }, headers: { 'if-match': '"1"' } });

    const stale = await merge(manager, survivor.id, source.id, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: 2 });
    expect((await call('GET', `/customers/${source.id}`, { token: manager })).status).toBe(200);
    const fresh = await merge(manager, survivor.id, source.id, { 'if-match': '"2"' });
    expect([fresh.status, fresh.body.version]).toEqual([200, 3]);
  });

  it('lets exactly one of two concurrent merges of one source win; the other answers 409', async () => {
    const { manager } = await setup('person');
    const email = uniqueEmail('s');
    const [a, b, s] = [await create(manager, { name: 'A' }), await create(manager, { name: 'B' }), await create(manager, { name: 'S', emails: [email] })];
    await settle();

    const results = await Promise.all([merge(manager, a.id, s.id), merge(manager, b.id, s.id)]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results[0]!.status === 200 ? a : b;
    const loser = winner === a ? b : a;
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ type: 'urn:crm:problem:merge-conflict', mergedInto: winner.id });
    expect((await call<Problem>('GET', `/customers/${s.id}`, { token: manager })).body.mergedInto).toBe(winner.id);
    expect((await call<Customer>('GET', `/customers/${loser.id}`, { token: manager })).body).toMatchObject({ emails: [], version: 1 });
    const taken = await call<Problem>('POST', '/customers', { token: manager, body: { name: 'S again', emails: [email] } });
    expect(taken.body.existingCustomerId).toBe(winner.id);
  });

  it('moves more records than one transaction holds, in batches', async () => {
    const { tenant, admin } = await setup('person');
    const survivor = await create(admin, { name: 'Ada' });
    const source = await create(admin, { name: 'Ada L.' });
    await settle();
    const pk = `T#${tenant}#C#${source.id}`;
    for (let i = 0; i < 120; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      const id = `01JDBULK${String(i).padStart(18, '0')}`;
      const activity = { id, customerId: source.id, type: 'note', occurredAt: at, subject: `Note ${i}`, body: null, payload: null, actor: { type: 'user', id: 'adm-1' }, loggedAt: at };
      await db().send(new PutCommand({ TableName: stack().tableName, Item: { PK: pk, SK: `ACT#${at}#${id}`, entity: 'Activity', ...activity } }));
    }

    expect((await merge(admin, survivor.id, source.id)).status).toBe(200);

    const moved = (await partition(tenant, survivor.id)).filter((i) => String(i.subject).startsWith('Note '));
    expect(moved).toHaveLength(120);
    expect(new Set(moved.map((i) => i.customerId))).toEqual(new Set([survivor.id]));
    expect((await partition(tenant, source.id)).filter((i) => String(i.subject).startsWith('Note '))).toEqual([]);
  });

  it('finishes an interrupted move when the merge is sent again, and refuses to merge the source elsewhere', async () => {
    const { tenant, admin } = await setup();
    const survivor = await create(admin, { kind: 'company', name: 'Acme' });
    const source = await create(admin, { kind: 'company', name: 'Acme 2' });
    const other = await create(admin, { kind: 'company', name: 'Acme 3' });
    await settle();
    expect((await merge(admin, survivor.id, source.id)).status).toBe(200);

    // A record left behind in the tombstone's partition, as a step 2 cut short would leave it.
    const stranded = { PK: `T#${tenant}#C#${source.id}`, SK: 'CONTACT#01JDSTRANDED0000000000000', entity: 'Contact', id: '01JDSTRANDED0000000000000', customerId: source.id, name: 'Left behind', title: null, emails: [], phones: [], consent: {}, createdAt: '2026-11-20T10:00:00.000Z', createdBy: 'adm-1', updatedAt: '2026-11-20T10:00:00.000Z', updatedBy: 'adm-1', version: 1 };
    await db().send(new PutCommand({ TableName: stack().tableName, Item: stranded }));

    const again = await merge(admin, survivor.id, source.id, { 'if-match': '"1"' });

    expect([again.status, again.body.version]).toEqual([200, 2]);
    expect((await partition(tenant, source.id)).map((i) => i.SK)).not.toContain(stranded.SK);
    const view = await call<{ contacts: { name: string; customerId: string }[] }>('GET', `/customers/${survivor.id}/360`, { token: admin });
    expect(view.body.contacts).toEqual([expect.objectContaining({ name: 'Left behind', customerId: survivor.id })]);
    const timeline = await call<{ items: Activity[] }>('GET', `/customers/${survivor.id}/activities`, { token: admin });
    expect(timeline.body.items.filter((x) => x.type === 'merge')).toHaveLength(1);

    const elsewhere = await merge(admin, other.id, source.id);
    expect([elsewhere.status, elsewhere.body.type, elsewhere.body.mergedInto]).toEqual([409, 'urn:crm:problem:merge-conflict', survivor.id]);
    const fromTombstone = await merge(admin, source.id, other.id);
    expect([fromTombstone.status, fromTombstone.body.mergedInto]).toEqual([410, survivor.id]);
  });
});
