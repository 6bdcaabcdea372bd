import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backfill } from '../../../migrations/backfill';
import { call, newTenant, settle, stack, tokenFor, uniqueEmail } from '../client';

const db = () => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack().dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));

describe('npm run backfill', () => {
  it("gives deals written before the owner list their entry and indexes records the search index never saw, once, changing nothing else", async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    const customer = (await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Backfilled Brothers', emails: [uniqueEmail('bf')] } })).body.id;
    const pipeline = (await call<{ id: string }>('POST', '/pipelines', { token: admin, body: { name: 'P', stages: [{ id: 's1', name: 'S1', probability: 10 }] } })).body.id;
    const deal = (await call<{ id: string; version: number }>('POST', '/deals', { token: rep, body: { customerId: customer, pipelineId: pipeline, name: 'Old deal', amount: '10.00', currency: 'EUR', expectedCloseDate: '2027-02-01' } })).body;
    await settle();

    // As the table looked before those releases: no owner-list keys on the deal, no search entries.
    const table = stack().tableName;
    await db().send(new UpdateCommand({ TableName: table, Key: { PK: `T#${tenant}#C#${customer}`, SK: `DEAL#${deal.id}` }, UpdateExpression: 'REMOVE GSI5PK, GSI5SK' }));
    const entries = await db().send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `T#${tenant}#SRCH#ba` } }));
    for (const e of entries.Items ?? []) await db().send(new DeleteCommand({ TableName: table, Key: { PK: e.PK, SK: e.SK } }));
    expect((await call<{ items: unknown[] }>('GET', '/deals?owner=me', { token: rep })).body.items).toHaveLength(0);
    expect((await call<{ items: unknown[] }>('GET', '/search?q=backf', { token: rep })).body.items).toHaveLength(0);

    const report = await backfill(db(), table);

    expect(report.dealsIndexed).toBeGreaterThanOrEqual(1);
    expect((await call<{ items: { id: string }[] }>('GET', '/deals?owner=me', { token: rep })).body.items.map((d) => d.id)).toEqual([deal.id]);
    expect((await call<{ items: { id: string; type: string }[] }>('GET', '/search?q=backf', { token: rep })).body.items).toEqual([expect.objectContaining({ id: customer, type: 'customer' })]);
    // Nothing else moved: the deal is at the version it had.
    expect((await call<{ version: number }>('GET', `/deals/${deal.id}`, { token: rep })).body.version).toBe(deal.version);
    // A second run finds nothing to do for the deals.
    expect((await backfill(db(), table)).dealsIndexed).toBe(0);
  });
});

describe('npm run backfill on odd items', () => {
  it('leaves deal items it cannot index (scrubbed by erasure, no owner, no version) as they are', async () => {
    const tenant = newTenant();
    const table = stack().tableName;
    const scrubbed = { PK: `T#${tenant}#C#X1`, SK: 'DEAL#scrubbed', entity: 'Deal', id: 'scrubbed', stageId: 's1' };
    const unversioned = { PK: `T#${tenant}#C#X1`, SK: 'DEAL#old', entity: 'Deal', id: 'old', tenantId: tenant, ownerId: 'rep-9', status: 'open', expectedCloseDate: '2027-01-01' };
    for (const Item of [scrubbed, unversioned]) await db().send(new PutCommand({ TableName: table, Item }));

    await backfill(db(), table);

    const read = async (sk: string) => (await db().send(new GetCommand({ TableName: table, Key: { PK: `T#${tenant}#C#X1`, SK: sk } }))).Item;
    expect(await read('DEAL#scrubbed')).toEqual(scrubbed);
    expect(await read('DEAL#old')).toMatchObject({ GSI5PK: `T#${tenant}#DEALOWNER#rep-9#open`, GSI5SK: '2027-01-01#old' });
  });
});
