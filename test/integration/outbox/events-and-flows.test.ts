import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable as db, settle, stack, tokenFor, uniqueEmail } from '../client';

interface BusRecord {
  event: { id: string; 'detail-type': string; source: string; detail: { id: string; tenantId: string; data: { customerId: string } } };
  matchedRules: string[];
  deliveries: { status: string }[];
}
interface Execution {
  flow: string;
  status: string;
  input: { detail?: { data?: { customerId?: string } } };
  output: unknown;
}
interface Email {
  to: string[];
  subject: string;
  text?: string;
}

async function eventsFor(customerId: string) {
  const { body } = await call<{ events: BusRecord[] }>('GET', '/_local/events?detailType=crm.customer.created.v1');
  return body.events.filter((e) => e.event.detail.data?.customerId === customerId);
}

async function create(tenant: string, consent: boolean) {
  const token = await tokenFor(tenant, 'rep-1', ['rep']);
  const email = uniqueEmail('welcome');
  const { body } = await call<{ id: string; createdAt: string }>('POST', '/customers', { token, body: { name: 'Ada', emails: [email], consent: { marketing: consent } } });
  await settle();
  return { id: body.id, email, createdAt: body.createdAt };
}

describe('crm.customer.created.v1 through stream, bus, rules and flows', () => {
  it('is published once from the outbox, with its envelope, and matched by its five rules', async () => {
    const tenant = newTenant();
    const { id } = await create(tenant, false);

    const events = await eventsFor(id);

    expect(events).toHaveLength(1);
    const [record] = events;
    expect(record!.event.source).toBe('crm');
    expect(record!.event.detail).toMatchObject({ type: 'crm.customer.created.v1', tenantId: tenant, actor: { type: 'user', id: 'rep-1' } });
    // The welcome flow, the daily stats, the automation and webhook dispatchers and the business metrics.
    expect(record!.matchedRules).toHaveLength(5);
    expect(record!.matchedRules.some((rule) => rule.startsWith('BusinessEventsToRecordBusinessMetrics'))).toBe(true);
    expect(record!.deliveries.every((d) => d.status === 'delivered')).toBe(true);
  });

  it('publishes the event of a customer with no consent at all (an empty map survives the stream)', async () => {
    const token = await tokenFor(newTenant(), 'mgr-1', ['manager']);
    const { body } = await call<{ id: string }>('POST', '/customers', { token, body: { name: 'No answers yet' } });
    await settle();

    const events = await eventsFor(body.id);

    expect(events).toHaveLength(1);
    expect(events[0]!.event.detail.data).toMatchObject({ consent: {}, ownerId: null, primaryEmail: null });
  });

  it('runs the welcome flow from infra/ and mails a customer who consented, once', async () => {
    const { id, email } = await create(newTenant(), true);

    const { body: executions } = await call<{ executions: Execution[] }>('GET', '/_local/executions');
    const { body: mail } = await call<{ emails: Email[] }>('GET', '/_local/emails');

    const run = executions.executions.filter((e) => e.flow === 'welcome' && e.input.detail?.data?.customerId === id);
    expect(run).toHaveLength(1);
    expect(run[0]).toMatchObject({ status: 'SUCCEEDED', output: { status: 'sent' } });
    expect(mail.emails.filter((m) => m.to.includes(email))).toEqual([expect.objectContaining({ subject: 'Welcome, Ada' })]);
  });

  it('records the welcome email on the customer timeline', async () => {
    const tenant = newTenant();
    const { id } = await create(tenant, true);

    const { Items } = await db().send(
      new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :act)', ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${id}`, ':act': 'ACT#' } }),
    );

    expect(Items).toEqual([expect.objectContaining({ type: 'email', actor: { type: 'system', id: 'welcome-flow' } })]);
  });

  it('does not mail a customer without marketing consent', async () => {
    const { id, email } = await create(newTenant(), false);

    const { body: executions } = await call<{ executions: Execution[] }>('GET', '/_local/executions');
    const { body: mail } = await call<{ emails: Email[] }>('GET', '/_local/emails');

    const run = executions.executions.find((e) => e.flow === 'welcome' && e.input.detail?.data?.customerId === id);
    expect(run?.status).toBe('SUCCEEDED');
    expect(mail.emails.some((m) => m.to.includes(email))).toBe(false);
  });

  it('delivers an event whose write committed even if the writer died before publishing anything', async () => {
    // The API process only writes; publishing is the stream's job. Simulate a writer that crashed
    // right after its transaction by writing the outbox item directly.
    const tenant = newTenant();
    const customerId = '01JD00000000000000000CRASH';
    const detail = {
      id: `01JD0000000000000000${Math.random().toString(36).slice(2, 8).toUpperCase().replace(/[ILOU]/g, 'X')}`,
      type: 'crm.customer.created.v1',
      occurredAt: new Date().toISOString(),
      tenantId: tenant,
      actor: { type: 'user', id: 'rep-1' },
      correlationId: 'crash-test',
      data: { customerId, kind: 'person', name: 'Crash', primaryEmail: 'crash@example.com', ownerId: 'rep-1', lifecycleStage: 'lead', consent: { marketing: false } },
    };
    await db().send(
      new PutCommand({
        TableName: stack().tableName,
        Item: { PK: `T#${tenant}#C#${customerId}`, SK: `$EVT#${detail.id}`, entity: 'OutboxEvent', source: 'crm', detailType: detail.type, detail },
      }),
    );
    await settle();

    const events = await eventsFor(customerId);
    expect(events.map((e) => e.event.detail.id)).toEqual([detail.id]);
  });

  it('counts each created customer once in the daily stats', async () => {
    const tenant = newTenant();
    const { createdAt } = await create(tenant, false);
    await create(tenant, false);

    // The day on the runtime's clock (other tests may have moved it), not this machine's.
    const day = createdAt.slice(0, 10);
    const { Items } = await db().send(
      new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)', ExpressionAttributeValues: { ':pk': `T#${tenant}#STATS#${day}`, ':m': 'M#' } }),
    );
    expect(Items).toEqual([expect.objectContaining({ SK: 'M#crm.customer.created.v1', count: 2 })]);
  });
});
