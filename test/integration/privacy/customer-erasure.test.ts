import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable as db, settle, stack, tokenFor } from '../client';
import { itemsMentioning, uniquePhone } from './privacy-fixtures';

type Item = Record<string, unknown>;
interface BusRecord {
  event: { 'detail-type': string; detail: { tenantId: string; actor: { type: string; id: string }; data: { customerId: string; erasedAt: string } } };
}

async function partition(tenant: string, customerId: string): Promise<Item[]> {
  const { Items } = await db().send(
    new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${customerId}` }, ConsistentRead: true }),
  );
  return Items ?? [];
}


/** A customer with personal data in every field, two contacts, three activities and the welcome flow's traces. */
async function richCustomer(tenant: string) {
  const mark = `qz${randomUUID().slice(0, 8)}`;
  const phone = uniquePhone();
  const contactPhone = uniquePhone();
  const rep = await tokenFor(tenant, 'rep-1', ['rep']);
  const created = await call<{ id: string; createdAt: string }>('POST', '/customers', {
    token: rep,
    body: {
      kind: 'company',
      name: `Erasable ${mark} GmbH`,
      emails: [`${mark}@example.com`, `billing.${mark}@example.com`],
      phones: [phone.typed],
      website: `https://www.${mark}.example/about`,
      address: { street: `${mark}strasse 7`, city: `${mark}hausen`, postalCode: '10115', country: 'DE' },
      industry: `${mark} industry`,
      region: `${mark} region`,
      source: `${mark} trade fair`,
      tags: [`${mark}-vip`],
      consent: { marketing: true },
    },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  for (const name of ['Grace', 'Alan']) {
    const res = await call('POST', `/customers/${id}/contacts`, {
      token: rep,
      body: { name: `${name} ${mark}`, title: `${mark} buyer`, emails: [`${name.toLowerCase()}.${mark}@example.com`], phones: [contactPhone.typed], consent: { marketing: false } },
    });
    expect(res.status).toBe(201);
  }
  for (const type of ['call', 'note', 'purchase']) {
    const res = await call('POST', `/customers/${id}/activities`, {
      token: rep,
      body: { type, subject: `${type} with ${mark}`, body: `${mark} told us about their plans`, payload: { contact: `${mark}@example.com`, total: 42 } },
    });
    expect(res.status).toBe(201);
  }
  await settle();
  return { id, mark, phone, contactPhone, createdAt: created.body.createdAt, rep };
}

describe('DELETE /customers/{id}: erasure', () => {
  it('leaves no personal data in any item of the table, and keeps the anonymous aggregates', async () => {
    const tenant = newTenant();
    const c = await richCustomer(tenant);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    // The welcome flow ran: a mail, a marker and a timeline entry exist, and the outbox holds events.
    const before = await partition(tenant, c.id);
    expect(before.map((i) => String(i.SK).split('#')[0])).toEqual(expect.arrayContaining(['$DONE', '$EVT', 'ACT', 'CONTACT', 'PROFILE']));
    expect((await itemsMentioning(c.mark, c.phone.stored)).length).toBeGreaterThan(5);

    // The search index holds copies of the name, emails and phones once the stream is read...
    await settle();
    expect((await itemsMentioning(c.mark)).some((i) => i.entity === 'SearchEntry')).toBe(true);
    const res = await call('DELETE', `/customers/${c.id}`, { token: admin });

    expect(res.status).toBe(204);
    // ...and the erasure request deletes them itself: nothing mentions them when it answers.
    expect(await itemsMentioning(c.mark, c.phone.stored, c.contactPhone.stored)).toEqual([]);
    await settle();
    expect(await itemsMentioning(c.mark, c.phone.stored, c.contactPhone.stored)).toEqual([]);

    const after = await partition(tenant, c.id);
    const profile = after.find((i) => i.SK === 'PROFILE');
    expect(profile).toEqual({
      PK: `T#${tenant}#C#${c.id}`, SK: 'PROFILE', entity: 'Customer', id: c.id, tenantId: tenant, kind: 'company', lifecycleStage: 'lead',
      createdAt: c.createdAt, version: 2, erasedAt: expect.any(String), erasedBy: 'admin-1',
    });
    expect(after.filter((i) => String(i.SK).startsWith('CONTACT#'))).toEqual([]);
    const activities = after.filter((i) => String(i.SK).startsWith('ACT#'));
    expect(activities.map((a) => a.type).sort()).toEqual(['call', 'email', 'note', 'purchase']);
    for (const activity of activities) expect(Object.keys(activity).sort()).toEqual(['PK', 'SK', 'actor', 'customerId', 'entity', 'id', 'loggedAt', 'occurredAt', 'type']);
    expect(after.filter((i) => String(i.SK).startsWith('$EVT#')).map((i) => i.detailType)).toEqual(['crm.customer.erased.v1']);
    expect(after.find((i) => i.SK === '$DONE#welcome-email')).toEqual({ PK: `T#${tenant}#C#${c.id}`, SK: '$DONE#welcome-email', entity: 'SideEffect', status: 'done', claimedAt: expect.any(String) });

    // The daily counter still counts the customer as created.
    const day = c.createdAt.slice(0, 10);
    const { Items: stats } = await db().send(
      new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)', ExpressionAttributeValues: { ':pk': `T#${tenant}#STATS#${day}`, ':m': 'M#' } }),
    );
    expect(stats).toEqual(expect.arrayContaining([expect.objectContaining({ SK: 'M#crm.customer.created.v1', count: 1 })]));
  });

  it('frees the emails, phones and domain at once, answers 410 everywhere and 204 again on a repeat', async () => {
    const tenant = newTenant();
    const c = await richCustomer(tenant);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    expect((await call('DELETE', `/customers/${c.id}`, { token: admin })).status).toBe(204);

    const again = await call('POST', '/customers', {
      token: c.rep,
      body: { kind: 'company', name: 'Someone new', emails: [`${c.mark}@example.com`], phones: [c.phone.typed], domain: `${c.mark}.example` },
    });
    expect(again.status).toBe(201);

    for (const path of [`/customers/${c.id}`, `/customers/${c.id}/360`, `/customers/${c.id}/export`, `/customers/${c.id}/activities`]) {
      const res = await call<{ type: string }>('GET', path, { token: admin });
      expect([path, res.status, res.body.type]).toEqual([path, 410, 'urn:crm:problem:customer-erased']);
    }
    expect((await call('DELETE', `/customers/${c.id}`, { token: admin })).status).toBe(204);
  });

  it('publishes crm.customer.erased.v1 once, naming the admin and carrying no personal data', async () => {
    const tenant = newTenant();
    const c = await richCustomer(tenant);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    await call('DELETE', `/customers/${c.id}`, { token: admin });
    await call('DELETE', `/customers/${c.id}`, { token: admin });
    await settle();

    const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.customer.erased.v1');
    const erased = body.events.filter((r) => r.event.detail.data?.customerId === c.id);

    expect(erased).toHaveLength(1);
    expect(erased[0]!.event.detail).toMatchObject({ tenantId: tenant, actor: { type: 'user', id: 'admin-1' }, data: { customerId: c.id, erasedAt: expect.any(String) } });
    expect(Object.keys(erased[0]!.event.detail.data).sort()).toEqual(['customerId', 'erasedAt']);
    expect(JSON.stringify(erased[0]).toLowerCase()).not.toContain(c.mark);
  });

  it('is for admins only (403 to whoever else may read the customer), and answers 404 across tenants', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const manager = await tokenFor(tenant, 'mgr-1', ['manager']);
    const { body: owned } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Owned by rep-1' } });
    const { body: unowned } = await call<{ id: string }>('POST', '/customers', { token: manager, body: { name: 'In the pool' } });

    expect((await call('DELETE', `/customers/${owned.id}`, { token: rep })).status).toBe(403);
    expect((await call('DELETE', `/customers/${owned.id}`, { token: await tokenFor(tenant, 'mkt-1', ['marketer']) })).status).toBe(403);
    expect((await call('DELETE', `/customers/${unowned.id}`, { token: manager })).status).toBe(403);
    expect((await call('DELETE', `/customers/${owned.id}`, { token: await tokenFor(tenant, 'rep-2', ['rep']) })).status).toBe(404);
    expect((await call('DELETE', `/customers/${owned.id}`, { token: await tokenFor(newTenant(), 'admin-1', ['admin']) })).status).toBe(404);
    expect((await call('DELETE', '/customers/01JD0000000000000000000000', { token: await tokenFor(tenant, 'admin-1', ['admin']) })).status).toBe(404);
    expect((await call('GET', `/customers/${owned.id}`, { token: rep })).status).toBe(200);
  });

  it('finishes the job on a repeat: whatever reached the partition after the erasure is scrubbed', async () => {
    const tenant = newTenant();
    const c = await richCustomer(tenant);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    await call('DELETE', `/customers/${c.id}`, { token: admin });
    // A crash or a racing writer: personal data lands in the tombstoned partition after step 2.
    const pk = `T#${tenant}#C#${c.id}`;
    const late = [
      { PK: pk, SK: 'CONTACT#late', entity: 'Contact', name: `Late ${c.mark}`, emails: [`late.${c.mark}@example.com`] },
      { PK: pk, SK: 'ACT#2026-01-01T00:00:00.000Z#late', entity: 'Activity', id: 'late', customerId: c.id, type: 'email', occurredAt: '2026-01-01T00:00:00.000Z', subject: `Welcome, ${c.mark}`, actor: { type: 'system', id: 'welcome-flow' }, loggedAt: '2026-01-01T00:00:00.000Z' },
      { PK: pk, SK: '$DONE#late-effect', entity: 'SideEffect', status: 'done', claimedAt: '2026-01-01T00:00:00.000Z', result: { to: `${c.mark}@example.com` } },
      // A deal keeps the seller's numbers and index keys (docs/pipeline.md) and loses its free text.
      { PK: pk, SK: 'DEAL#late', entity: 'Deal', id: 'late', stageId: 's1', name: `Deal with ${c.mark}`, closeReason: `Lost to ${c.mark}`, GSI1PK: `T#${tenant}#PIPE#p1#STAGE#s1`, GSI1SK: '2027-01-01#late' },
      // A kind of record this release does not know keeps only its keys.
      { PK: pk, SK: 'CASE#late', entity: 'Case', title: `Case of ${c.mark}`, GSI1PK: `T#${tenant}#CASES`, GSI1SK: c.mark },
    ];
    for (const Item of late) await db().send(new PutCommand({ TableName: stack().tableName, Item }));
    await db().send(new UpdateCommand({ TableName: stack().tableName, Key: { PK: pk, SK: 'PROFILE' }, UpdateExpression: 'SET lastFollowUpAt = :at, #n = :name', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':at': '2026-01-01T00:00:00.000Z', ':name': c.mark } }));
    // Six items of the partition (the search index adds its own copies as the stream is read).
    expect((await itemsMentioning(c.mark)).filter((i) => i.entity !== 'SearchEntry').length).toBe(6);

    expect((await call('DELETE', `/customers/${c.id}`, { token: admin })).status).toBe(204);

    await settle();
    expect(await itemsMentioning(c.mark)).toEqual([]);
    const after = await partition(tenant, c.id);
    expect(after.find((i) => i.SK === 'DEAL#late')).toEqual({ PK: pk, SK: 'DEAL#late', entity: 'Deal', id: 'late', stageId: 's1', GSI1PK: `T#${tenant}#PIPE#p1#STAGE#s1`, GSI1SK: '2027-01-01#late' });
    expect(after.find((i) => i.SK === 'CASE#late')).toEqual({ PK: pk, SK: 'CASE#late', entity: 'Case' });
    expect(after.find((i) => i.SK === '$DONE#late-effect')).not.toHaveProperty('result');
    expect(after.find((i) => i.SK === 'PROFILE')).not.toHaveProperty('lastFollowUpAt');
    expect(after.some((i) => i.SK === 'CONTACT#late')).toBe(false);
  });

  it('never welcomes an erased customer, even when a created event arrives late (a retrying flow, an archive replay)', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const mark = `qz${randomUUID().slice(0, 8)}`;
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: `Late ${mark}`, emails: [`${mark}@example.com`], consent: { marketing: false } } });
    await settle();
    expect((await call('DELETE', `/customers/${body.id}`, { token: await tokenFor(tenant, 'admin-1', ['admin']) })).status).toBe(204);

    // The created event as it would arrive from a replay, this time with consent: the welcome flow runs.
    const detail = {
      id: `01JD${randomUUID().replaceAll('-', '').slice(0, 22).toUpperCase()}`, type: 'crm.customer.created.v1', occurredAt: new Date().toISOString(), tenantId: tenant,
      actor: { type: 'user', id: 'rep-1' }, correlationId: 'replay',
      data: { customerId: body.id, kind: 'person', name: `Late ${mark}`, primaryEmail: `${mark}@example.com`, ownerId: 'rep-1', lifecycleStage: 'lead', consent: { marketing: true } },
    };
    await db().send(new PutCommand({ TableName: stack().tableName, Item: { PK: `T#${tenant}#C#${body.id}`, SK: `$EVT#${detail.id}`, entity: 'OutboxEvent', source: 'crm', detailType: detail.type, detail } }));
    await settle();

    const { body: executions } = await call<{ executions: { flow: string; status: string; output: unknown; input: { detail?: { id?: string } } }[] }>('GET', '/_local/executions');
    expect(executions.executions.filter((e) => e.input.detail?.id === detail.id)).toEqual([expect.objectContaining({ flow: 'welcome', status: 'SUCCEEDED', output: { status: 'already-sent' } })]);
    const { body: mail } = await call<{ emails: { to: string[] }[] }>('GET', '/_local/emails');
    expect(mail.emails.filter((m) => m.to.includes(`${mark}@example.com`))).toEqual([]);
  });

  it('answers 410 naming the survivor for a merged customer, and erasing the survivor erases the merged one too', async () => {
    const tenant = newTenant();
    const survivor = await richCustomer(tenant);
    const source = await richCustomer(tenant);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    // What a merge leaves (written raw, so this test does not depend on the merge route): the
    // source a pointer out of every list, the survivor's timeline naming the source.
    await db().send(
      new UpdateCommand({
        TableName: stack().tableName,
        Key: { PK: `T#${tenant}#C#${source.id}`, SK: 'PROFILE' },
        UpdateExpression: 'SET mergedInto = :s, version = version + :one REMOVE GSI1PK, GSI1SK, GSI3PK, GSI3SK, GSI4PK, GSI4SK, GSI5PK, GSI5SK',
        ExpressionAttributeValues: { ':s': survivor.id, ':one': 1 },
      }),
    );
    const at = new Date().toISOString();
    await db().send(
      new PutCommand({
        TableName: stack().tableName,
        Item: {
          PK: `T#${tenant}#C#${survivor.id}`, SK: `ACT#${at}#merge`, entity: 'Activity', id: 'merge', customerId: survivor.id, type: 'merge', occurredAt: at,
          subject: `Merged Erasable ${source.mark} GmbH (${source.id}) into this customer`, body: null,
          payload: { survivorId: survivor.id, sourceId: source.id, role: 'survivor' }, actor: { type: 'user', id: 'admin-1' }, loggedAt: at,
        },
      }),
    );

    const merged = await call<{ type: string; mergedInto: string }>('DELETE', `/customers/${source.id}`, { token: admin });
    expect([merged.status, merged.body.type, merged.body.mergedInto]).toEqual([410, 'urn:crm:problem:customer-merged', survivor.id]);

    expect((await call('DELETE', `/customers/${survivor.id}`, { token: admin })).status).toBe(204);

    await settle();
    expect(await itemsMentioning(survivor.mark, source.mark, source.phone.stored)).toEqual([]);
    const sourceProfile = (await partition(tenant, source.id)).find((i) => i.SK === 'PROFILE');
    expect(sourceProfile).toMatchObject({ mergedInto: survivor.id, erasedAt: expect.any(String), erasedBy: 'admin-1' });
    const res = await call<{ type: string }>('GET', `/customers/${source.id}`, { token: admin });
    expect([res.status, res.body.type]).toEqual([410, 'urn:crm:problem:customer-merged']);
  });
});
