import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail, warmDirectoryCopy } from '../client';

type Counts = Record<string, { requests: number; readCapacityUnits: number; writeCapacityUnits: number }>;

/** DynamoDB requests made by everything `act` causes (the suite runs the runtime with --count-requests). */
async function counted(act: () => Promise<unknown>, token?: string): Promise<Counts> {
  if (token) await warmDirectoryCopy(token);
  await settle();
  await call('POST', '/_local/dynamodb-requests/reset');
  await act();
  await settle();
  return (await call<{ operations: Counts }>('GET', '/_local/dynamodb-requests')).body.operations;
}

const requests = (counts: Counts) => Object.fromEntries(Object.entries(counts).map(([op, c]) => [op, c.requests]));

describe('DynamoDB requests per operation, counted at DynamoDB Local', () => {
  // Every event about a customer also costs the automation dispatcher one Query of the tenant's
  // automations (docs/marketing.md, "Automations") and the webhook dispatcher one Query of its
  // webhooks (docs/integrations.md); `counted` waits for the consumers, so they are here.
  // A change of a searchable field also costs the search indexer one GetItem (is the profile still
  // live?) and one BatchWriteItem (docs/search.md).
  it('create with its uniqueness guards is one transaction (the other is the stats consumer), no reads but the dispatcher\'s and the indexer\'s, one batch of search words', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);

    const counts = await counted(() => call('POST', '/customers', { token: rep, body: { name: 'Counted', emails: [uniqueEmail()], phones: ['+49 30 7770001'] } }), rep);

    expect(requests(counts)).toEqual({ TransactWriteItems: 2, Query: 2, GetItem: 1, BatchWriteItem: 1 });
    expect(counts.TransactWriteItems!.writeCapacityUnits).toBeGreaterThan(0);
  });

  it('the 360 view is two Queries, whatever the length of the timeline', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { kind: 'company', name: 'Big History' } });
    for (let i = 0; i < 30; i++) await call('POST', `/customers/${body.id}/activities`, { token: rep, body: { type: 'note', subject: `n${i}` } });
    await call('POST', `/customers/${body.id}/contacts`, { token: rep, body: { name: 'Grace' } });

    const counts = await counted(() => call('GET', `/customers/${body.id}/360`, { token: rep }), rep);

    expect(requests(counts)).toEqual({ Query: 2 });
    expect(counts.Query!.readCapacityUnits).toBeGreaterThan(0);
  });

  it('an activity page is one Query', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Paged' } });

    const counts = await counted(() => call('GET', `/customers/${body.id}/activities?limit=10`, { token: rep }), rep);

    // GetItem: the access check reads the profile before the timeline.
    expect(requests(counts)).toEqual({ GetItem: 1, Query: 1 });
  });

  it('a page of the customer list is one Query, filtered or not', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const admin = await tokenFor(tenant, 'boss', ['admin']);
    for (let i = 0; i < 3; i++) await call('POST', '/customers', { token: rep, body: { name: `Listed ${i}`, tags: ['vip'] } });

    for (const [token, query] of [[rep, ''], [admin, '?stage=lead&tag=vip'], [admin, '?name=listed&limit=2'], [admin, '?owner=rep-1']] as const) {
      const counts = await counted(() => call('GET', `/customers${query}`, { token }), token);
      expect(requests(counts), query).toEqual({ Query: 1 });
    }
  });

  it('a PATCH reads once and writes one transaction', async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Patched' } });

    const counts = await counted(() => call('PATCH', `/customers/${body.id}`, { token: rep, body: { region: 'APAC' }, headers: { 'if-match': '"1"' } }), rep);

    expect(requests(counts)).toEqual({ GetItem: 1, TransactWriteItems: 1, Query: 2 });
  });

  it('custom fields cost one Query of the definitions, and only when the request carries them', async () => {
    const tenant = newTenant();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    await call('POST', '/custom-fields', { token: await tokenFor(tenant, 'admin-1', ['admin']), body: { key: 'seats', label: 'Seats', type: 'number' } });

    const create = await counted(() => call('POST', '/customers', { token: rep, body: { name: 'With fields', customFields: { seats: 5 } } }), rep);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Patched later' } });
    const update = await counted(() => call('PATCH', `/customers/${body.id}`, { token: rep, body: { customFields: { seats: 6 } }, headers: { 'if-match': '"1"' } }), rep);

    // The second transaction of the create is the stats consumer's; the second and third Queries the
    // automation and webhook dispatchers'; the GetItem (is the profile still live?) and the BatchWriteItem the search
    // indexer's (the update changes no searchable field: neither).
    expect(requests(create)).toEqual({ Query: 3, TransactWriteItems: 2, GetItem: 1, BatchWriteItem: 1 });
    expect(requests(update)).toEqual({ GetItem: 1, Query: 3, TransactWriteItems: 1 });
  });

  it("counts the write units of every item of a transaction, also items of one partition (DynamoDB Local reports one per partition), by kind", async () => {
    const rep = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Weighed' } });
    await settle();
    await call('POST', '/_local/dynamodb-requests/reset');

    // One transaction: the profile's update and its outbox event, both in the customer's partition.
    await call('PATCH', `/customers/${body.id}`, { token: rep, body: { region: 'APAC' }, headers: { 'if-match': '"1"' } });
    await settle();
    const { operations, writesByKind } = (await call<{ operations: Counts; writesByKind: Record<string, { items: number; writeCapacityUnits: number }> }>('GET', '/_local/dynamodb-requests')).body;

    expect(writesByKind.OutboxEvent, JSON.stringify(writesByKind)).toEqual({ items: 1, writeCapacityUnits: 2 });
    expect(writesByKind.Customer!.items).toBe(1);
    // The profile: 2 units for the table, and 2 more for each index whose entry it rewrites.
    expect(writesByKind.Customer!.writeCapacityUnits).toBeGreaterThanOrEqual(4);
    const byKind = Object.values(writesByKind).reduce((sum, k) => sum + k.writeCapacityUnits, 0);
    expect(Object.values(operations).reduce((sum, o) => sum + o.writeCapacityUnits, 0)).toBe(byKind);

    // A task's transaction checks that the profile is live: a condition check, no write of it.
    await call('POST', '/_local/dynamodb-requests/reset');
    await call('POST', '/tasks', { token: rep, body: { title: 'Call', type: 'call', dueAt: '2027-01-10T09:00:00Z', customerId: body.id } });
    await settle();
    const afterTask = (await call<{ writesByKind: Record<string, { items: number }> }>('GET', '/_local/dynamodb-requests')).body.writesByKind;
    expect(afterTask.Task?.items, JSON.stringify(afterTask)).toBe(1);
    expect(afterTask.Customer).toBeUndefined();
  });
});

