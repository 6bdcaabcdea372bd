import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';
import type { Schemas } from '@serverless-crm/client';

// Automation statistics end to end: sends finish with their outcome counted, the SES stand-in
// reports deliveries, opens and clicks of the sent mails (`POST /_local/ses-events`), the mail's
// one-click link unsubscribes, and GET /automations/{id} shows each counted once.

interface Mail {
  messageId: string;
  to: string[];
  subject: string;
  headers: { name: string; value: string }[];
}
interface BusRecord {
  event: { id: string; 'detail-type': string; detail: { tenantId?: string } };
}
/** As the typed client declares them. */
type Stats = Schemas['GetAutomationResponse']['stats'];

const STAGE_CHANGED = 'crm.customer.stage-changed.v1';
const toCustomer = { 'detail-type': [STAGE_CHANGED], detail: { data: { to: ['customer'] } } };

async function createCustomer(admin: string, name: string, consent: Record<string, boolean>) {
  const email = uniqueEmail(name.toLowerCase());
  const { status, body } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name, emails: [email], consent } });
  expect(status).toBe(201);
  return { id: body.id, email };
}

async function becomesCustomer(admin: string, id: string) {
  const current = await call('GET', `/customers/${id}`, { token: admin });
  expect((await call('PATCH', `/customers/${id}`, { token: admin, body: { lifecycleStage: 'customer' }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
}

async function mailTo(email: string): Promise<Mail> {
  const { body } = await call<{ emails: Mail[] }>('GET', '/_local/emails');
  const mails = body.emails.filter((m) => m.to.includes(email) && !m.subject.startsWith('Welcome, '));
  expect(mails).toHaveLength(1);
  return mails[0]!;
}

const inject = async (messageId: string, type: string) => expect((await call('POST', '/_local/ses-events', { body: { messageId, type } })).status).toBe(200);
const oneClick = (mail: Mail) =>
  fetch(mail.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1), { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const statsOf = async (token: string, id: string) => {
  const { status, body } = await call<{ stats: Stats }>('GET', `/automations/${id}`, { token });
  expect(status).toBe(200);
  return body.stats;
};

describe('automation statistics', () => {
  it('count sent, skipped per reason, delivered, opened, clicked and unsubscribed, each once however often it is redelivered', async () => {
    const tenant = newTenant();
    const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const { body: template } = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'w', subject: 'Hello {{customer.name}}', html: '<p>Hi</p>', text: 'Hi' } });
    const { body: created } = await call<{ id: string }>('POST', '/automations', { token: marketer, body: { name: 'Became customer', eventPattern: toCustomer, templateId: template.id, topic: 'marketing' } });
    const id = created.id;
    const fresh = await statsOf(marketer, id);
    expect(fresh).toMatchObject({ sent: 0, opened: 0, unsubscribed: 0 });
    expect(fresh.skipped['no-consent']).toBe(0);

    const ada = await createCustomer(admin, 'Ada', { marketing: true });
    const bea = await createCustomer(admin, 'Bea', { marketing: true });
    const bob = await createCustomer(admin, 'Bob', { newsletter: true });
    const carol = await createCustomer(admin, 'Carol', { marketing: true });
    await settle();
    expect((await call('POST', '/suppressions', { token: marketer, body: { email: carol.email } })).status).toBe(201);
    for (const c of [ada, bea, bob, carol]) await becomesCustomer(admin, c.id);
    await settle();

    // The domain event delivered again: no second send, no second count.
    const { body: bus } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${STAGE_CHANGED}`);
    const event = bus.events.find((r) => r.event.detail.tenantId === tenant)!;
    expect((await call('POST', `/_local/events/${event.event.id}/redeliver`)).status).toBe(200);
    await settle();

    const adaMail = await mailTo(ada.email);
    const beaMail = await mailTo(bea.email);
    for (const type of ['delivery', 'delivery', 'open', 'open', 'open', 'click', 'click']) await inject(adaMail.messageId, type);
    await inject(beaMail.messageId, 'delivery');
    await inject(beaMail.messageId, 'bounce');
    await settle();
    expect((await oneClick(adaMail)).status).toBe(200);
    expect((await oneClick(adaMail)).status).toBe(200);

    const stats = await statsOf(marketer, id);
    expect(stats).toEqual({
      sent: 2,
      skipped: { 'customer-gone': 0, 'lead-gone': 0, 'contact-gone': 0, 'no-address': 0, 'no-consent': 1, suppressed: 1, capped: 0, 'offer-locked': 0, 'offer-customers-only': 0, 'template-gone': 0, 'automation-disabled': 0 },
      delivered: 2,
      bounced: 1,
      complained: 0,
      opened: 1,
      clicked: 1,
      unsubscribed: 1,
    });
    // The counters are stamped on the send records: the proof each mail counts once.
    const adaSend = await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: keys.automationSend(tenant, { kind: 'customer', id: ada.id }, id, await sendEventId(tenant, ada.id, id)), ConsistentRead: true }));
    expect(adaSend.Item).toMatchObject({ status: 'sent', deliveredAt: expect.any(String), openedAt: expect.any(String), clickedAt: expect.any(String), unsubscribedAt: expect.any(String) });

    // Deleting the automation deletes its counters; a late event of its mail brings none back.
    expect((await call('DELETE', `/automations/${id}`, { token: admin })).status).toBe(204);
    await inject(beaMail.messageId, 'open');
    await settle();
    const left = await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: keys.automationStats(tenant, id), ConsistentRead: true }));
    expect(left.Item).toBeUndefined();
  });
});

/** The event id of the customer's one send record of this automation. */
async function sendEventId(tenant: string, customerId: string, automationId: string): Promise<string> {
  const { Items } = await rawTable().send(
    new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)', ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${customerId}`, ':prefix': `$MKT#AUTO#${automationId}#` } }),
  );
  expect(Items).toHaveLength(1);
  return String(Items![0]!.eventId);
}
