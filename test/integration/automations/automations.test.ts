import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

// Automations end to end on the local runtime: a customer change commits an outbox item, the
// stream publishes the event, the one rule hands it to the dispatcher, the mail lands at the SES
// stand-in (`/_local/emails`). Delayed sends wait on the marketing-due index for the schedule.

interface Mail {
  messageId: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: { name: string; value: string }[];
}
interface Activity {
  type: string;
  subject: string | null;
  payload: Record<string, unknown> | null;
  actor: { type: string; id: string };
}
interface BusRecord {
  event: { id: string; 'detail-type': string; detail: { tenantId?: string; data?: { customerId?: string } } };
  matchedRules: string[];
}

const STAGE_CHANGED = 'crm.customer.stage-changed.v1';
const CREATED = 'crm.customer.created.v1';
const UPDATED = 'crm.customer.updated.v1';
const ACTIVITY = 'crm.activity.logged.v1';

async function marketingTenant() {
  const tenant = newTenant();
  return { tenant, marketer: await tokenFor(tenant, 'mkt-1', ['marketer']), admin: await tokenFor(tenant, 'admin-1', ['admin']) };
}

/** The frequency cap, with the welcome mail off: it would take a slot of each new customer's cap before the automations. */
async function putCap(token: string, maxEmails: number) {
  const current = await call('GET', '/marketing-settings', { token });
  const saved = await call('PUT', '/marketing-settings', { token, body: { frequencyCap: { maxEmails, windowDays: 7 }, welcomeEmail: { enabled: false } }, headers: { 'if-match': current.headers.get('etag')! } });
  expect(saved.status).toBe(200);
}

/** A template whose subject starts with `label`, so each automation's mail is told apart by subject. */
async function template(token: string, label: string): Promise<string> {
  const { status, body } = await call<{ id: string }>('POST', '/templates', {
    token,
    body: { name: label, subject: `${label} for {{customer.name}}`, html: '<p>Hello {{customer.name}}</p>', text: 'Hello {{customer.name}}' },
  });
  expect(status).toBe(201);
  return body.id;
}

async function automation(token: string, label: string, eventPattern: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await call<{ id: string }>('POST', '/automations', { token, body: { name: label, eventPattern, templateId: await template(token, label), topic: 'marketing', ...extra } });
  expect(status, label).toBe(201);
  return body.id;
}

async function createCustomer(admin: string, fields: Record<string, unknown> = {}) {
  const email = uniqueEmail('ada');
  const { status, body } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Ada Lovelace', emails: [email], consent: { marketing: true }, ...fields } });
  expect(status).toBe(201);
  await settle();
  return { id: body.id, email };
}

async function patchCustomer(admin: string, id: string, patch: Record<string, unknown>) {
  const current = await call('GET', `/customers/${id}`, { token: admin });
  const { status } = await call('PATCH', `/customers/${id}`, { token: admin, body: patch, headers: { 'if-match': current.headers.get('etag')! } });
  expect(status).toBe(200);
  await settle();
}

/** Mail the SES stand-in accepted for this address, without the welcome mail the welcome flow sends. */
async function mailsTo(email: string): Promise<Mail[]> {
  const { body } = await call<{ emails: Mail[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(email) && !m.subject.startsWith('Welcome, '));
}

/** The send records of a customer (`$MKT#AUTO#...`): one per automation and event, with its outcome. */
async function sendRecords(tenant: string, customerId: string) {
  const { Items } = await rawTable().send(
    new QueryCommand({
      TableName: stack().tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `T#${tenant}#C#${customerId}`, ':prefix': '$MKT#AUTO#' },
    }),
  );
  return (Items ?? []) as { automationId: string; status: string; eventType: string; GSI2SK?: string; nextAllowedAt?: string | null }[];
}

const runDueSweep = async () => expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);
const header = (mail: Mail, name: string) => mail.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
const toCustomer = { 'detail-type': [STAGE_CHANGED], detail: { data: { to: ['customer'] } } };

describe('automations API', () => {
  it('creates, lists, reads, edits with If-Match and deletes; marketers and admins only', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    const templateId = await template(marketer, 'api');
    const created = await call<{ id: string; delay: number; enabled: boolean; version: number; eventPattern: unknown }>('POST', '/automations', {
      token: marketer,
      body: { name: 'Became customer', eventPattern: toCustomer, templateId, topic: 'marketing' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/automations/${created.body.id}`);
    expect(created.body).toMatchObject({ delay: 0, enabled: true, version: 1, eventPattern: toCustomer });
    const id = created.body.id;

    expect((await call<{ items: { id: string }[] }>('GET', '/automations', { token: admin })).body.items.map((a) => a.id)).toEqual([id]);
    expect((await call('GET', `/automations/${id}`, { token: marketer })).headers.get('etag')).toBe('"1"');

    const patch = (ifMatch: string | undefined, body: unknown) => call<{ version: number; delay: number; enabled: boolean; currentVersion?: number }>('PATCH', `/automations/${id}`, { token: marketer, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });
    expect((await patch(undefined, { enabled: false })).status).toBe(428);
    const edited = await patch('"1"', { enabled: false, delay: 600 });
    expect([edited.status, edited.headers.get('etag'), edited.body.enabled, edited.body.delay]).toEqual([200, '"2"', false, 600]);
    const stale = await patch('"1"', { enabled: true });
    expect([stale.status, stale.body.currentVersion]).toEqual([412, 2]);

    for (const group of ['rep', 'manager']) {
      const other = await tokenFor(tenant, `${group}-1`, [group]);
      expect((await call('GET', '/automations', { token: other })).status, group).toBe(403);
      expect((await call('GET', `/automations/${id}`, { token: other })).status, group).toBe(403);
      expect((await call('POST', '/automations', { token: other, body: { name: 'x', eventPattern: toCustomer, templateId, topic: 'marketing' } })).status, group).toBe(403);
    }
    expect((await call('GET', `/automations/${id}`, { token: await tokenFor(newTenant(), 'mkt-9', ['marketer']) })).status).toBe(404);

    expect((await call('DELETE', `/automations/${id}`, { token: admin })).status).toBe(204);
    expect((await call('DELETE', `/automations/${id}`, { token: admin })).status).toBe(404);
    expect((await call('GET', `/automations/${id}`, { token: admin })).status).toBe(404);
  });

  it('answers 400 problem+json naming the pattern part, an unknown template, a bad delay or topic', async () => {
    const { marketer } = await marketingTenant();
    const templateId = await template(marketer, 'bad');
    const post = (body: Record<string, unknown>) => call<{ errors: { path: string; message: string }[] }>('POST', '/automations', { token: marketer, body: { name: 'x', eventPattern: toCustomer, templateId, topic: 'marketing', ...body } });

    const badOperator = await post({ eventPattern: { detail: { data: { to: [{ prefx: 'cust' }] } } } });
    expect(badOperator.status).toBe(400);
    expect(badOperator.headers.get('content-type')).toContain('application/problem+json');
    expect(badOperator.body.errors).toEqual([{ path: 'eventPattern.detail.data.to[0]', message: expect.stringContaining('unknown operator "prefx"') }]);
    expect((await post({ eventPattern: { 'detail-type': 'crm.customer.updated.v1' } })).body.errors.map((e) => e.path)).toEqual(['eventPattern.detail-type']);
    expect((await post({ eventPattern: {} })).body.errors.map((e) => e.path)).toEqual(['eventPattern']);
    expect((await post({ eventPattern: { $or: [{ detail: { data: { to: ['x'] } } }] } })).body.errors.map((e) => e.path)).toEqual(['eventPattern.$or']);
    expect((await post({ templateId: 'NOSUCHTEMPLATE' })).body.errors).toEqual([{ path: 'templateId', message: expect.stringContaining('NOSUCHTEMPLATE') }]);
    expect((await post({ eventPattern: { detail: [{ nope: 1 }] }, templateId: 'NOSUCHTEMPLATE' })).body.errors.map((e) => e.path)).toEqual(['eventPattern.detail[0]', 'templateId']);
    expect((await post({ delay: 30 * 86400 + 1 })).body.errors.map((e) => e.path)).toEqual(['delay']);
    expect((await post({ topic: 'Not A Topic' })).body.errors.map((e) => e.path)).toEqual(['topic']);

    const { body: created } = await post({});
    const current = await call('GET', `/automations/${(created as unknown as { id: string }).id}`, { token: marketer });
    const patched = await call<{ errors: { path: string }[] }>('PATCH', `/automations/${(created as unknown as { id: string }).id}`, {
      token: marketer,
      body: { eventPattern: { detail: { data: { n: [{ numeric: ['>', 'two'] }] } } } },
      headers: { 'if-match': current.headers.get('etag')! },
    });
    expect([patched.status, patched.body.errors.map((e) => e.path)]).toEqual([400, ['eventPattern.detail.data.n[0].numeric[1]']]);
  });
});

describe('automation sends', () => {
  it("mails a customer once when the lifecycle stage becomes customer, with one-click unsubscribe, and notes it on the timeline", async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    const automationId = await automation(marketer, 'Became customer', toCustomer);
    const ada = await createCustomer(admin);
    expect(await mailsTo(ada.email)).toEqual([]);

    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });

    const mails = await mailsTo(ada.email);
    expect(mails.map((m) => m.subject)).toEqual(['Became customer for Ada Lovelace']);
    const mail = mails[0]!;
    const link = header(mail, 'List-Unsubscribe')!;
    expect(link).toMatch(new RegExp(`^<${stack().apiUrl}/unsubscribe/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>$`));
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const url = link.slice(1, -1);
    expect(mail.html).toContain(`href="${url}"`);
    expect(mail.text).toContain(url);
    // The link is this runtime's: it answers, and its one-click POST opts the customer out.
    expect((await fetch(url)).status).toBe(200);

    const { body: timeline } = await call<{ items: Activity[] }>('GET', `/customers/${ada.id}/activities`, { token: admin });
    expect(timeline.items.filter((a) => a.actor.id === 'automation')).toEqual([
      expect.objectContaining({ type: 'email', subject: 'Became customer for Ada Lovelace', payload: expect.objectContaining({ automationId, messageId: mail.messageId, topic: 'marketing', eventType: STAGE_CHANGED }) }),
    ]);
    const [record] = await sendRecords(tenant, ada.id);
    expect(record).toMatchObject({ automationId, status: 'sent' });
    expect(record).not.toHaveProperty('GSI2SK');

    expect((await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${ada.id}`, { token: admin })).body.consent.marketing).toBe(false);
  });

  it('sends nothing to a customer without consent to the topic or with a suppressed address, and records why', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    const automationId = await automation(marketer, 'No consent', toCustomer);
    const bob = await createCustomer(admin, { name: 'Bob', consent: { newsletter: true } });

    await patchCustomer(admin, bob.id, { lifecycleStage: 'customer' });

    expect(await mailsTo(bob.email)).toEqual([]);
    expect(await sendRecords(tenant, bob.id)).toEqual([expect.objectContaining({ automationId, status: 'no-consent', eventType: STAGE_CHANGED })]);
    expect((await sendRecords(tenant, bob.id))[0]).not.toHaveProperty('GSI2SK');

    // Consent is not enough for a suppressed address.
    const carol = await createCustomer(admin, { name: 'Carol' });
    expect((await call('POST', '/suppressions', { token: marketer, body: { email: carol.email } })).status).toBe(201);
    await patchCustomer(admin, carol.id, { lifecycleStage: 'customer' });
    expect(await mailsTo(carol.email)).toEqual([]);
    expect(await sendRecords(tenant, carol.id)).toEqual([expect.objectContaining({ automationId, status: 'suppressed' })]);
  });

  it('stops a mail at the frequency cap', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    await putCap(marketer, 1);
    await automation(marketer, 'Any stage change', { 'detail-type': [STAGE_CHANGED] });
    const ada = await createCustomer(admin);

    await patchCustomer(admin, ada.id, { lifecycleStage: 'mql' });
    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });

    expect((await mailsTo(ada.email)).map((m) => m.subject)).toEqual(['Any stage change for Ada Lovelace']);
    const records = await sendRecords(tenant, ada.id);
    expect(records.map((r) => r.status).sort()).toEqual(['capped', 'sent']);
    expect(records.find((r) => r.status === 'capped')?.nextAllowedAt).toEqual(expect.any(String));
  });

  it('sends once however often the event is delivered', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    await automation(marketer, 'Redelivered', toCustomer);
    await automation(marketer, 'Redelivered later', toCustomer, { delay: 3600 });
    const ada = await createCustomer(admin);
    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });
    expect(await mailsTo(ada.email)).toHaveLength(1);

    const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${STAGE_CHANGED}`);
    const event = body.events.find((r) => r.event.detail.tenantId === tenant)!;
    expect(event.matchedRules.some((rule) => rule.startsWith('DomainEventsToDispatchAutomations'))).toBe(true);
    const redeliveries = await Promise.all([1, 2].map(() => call('POST', `/_local/events/${event.event.id}/redeliver`)));
    expect(redeliveries.map((r) => r.status)).toEqual([200, 200]);
    await settle();

    expect(await mailsTo(ada.email)).toHaveLength(1);
    const records = await sendRecords(tenant, ada.id);
    expect(records.map((r) => r.status).sort()).toEqual(['pending', 'sent']);
    expect((await call('POST', '/_local/events/no-such-event/redeliver')).status).toBe(404);
  });

  it('sends a delayed automation only once it is due and the marketing-due schedule runs', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    await automation(marketer, 'An hour later', toCustomer, { delay: 3600 });
    const ada = await createCustomer(admin);
    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });

    const [pending] = await sendRecords(tenant, ada.id);
    expect(pending).toMatchObject({ status: 'pending' });
    const { now } = (await call<{ now: string }>('GET', '/_local/clock')).body;
    const dueAt = pending!.GSI2SK!.split('#')[0]!;
    // Due an hour after the event, which happened moments before now (the app clock, which earlier files may have moved).
    expect(Date.parse(dueAt) - Date.parse(now)).toBeGreaterThan(3500 * 1000);
    expect(Date.parse(dueAt) - Date.parse(now)).toBeLessThanOrEqual(3600 * 1000);

    await runDueSweep();
    expect(await mailsTo(ada.email)).toEqual([]);

    await call('POST', '/_local/clock', { body: { advance: 'PT59M' } });
    await runDueSweep();
    expect(await mailsTo(ada.email)).toEqual([]);

    await call('POST', '/_local/clock', { body: { advance: 'PT2M' } });
    await runDueSweep();
    expect((await mailsTo(ada.email)).map((m) => m.subject)).toEqual(['An hour later for Ada Lovelace']);
    await runDueSweep();
    expect(await mailsTo(ada.email)).toHaveLength(1);
    expect(await sendRecords(tenant, ada.id)).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('skips a delayed send whose automation was disabled before it fell due', async () => {
    const { tenant, marketer, admin } = await marketingTenant();
    const id = await automation(marketer, 'Disabled later', toCustomer, { delay: 60 });
    const ada = await createCustomer(admin);
    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });
    const current = await call('GET', `/automations/${id}`, { token: marketer });
    expect((await call('PATCH', `/automations/${id}`, { token: marketer, body: { enabled: false }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);

    await call('POST', '/_local/clock', { body: { advance: 'PT2M' } });
    await runDueSweep();
    expect(await mailsTo(ada.email)).toEqual([]);
    expect(await sendRecords(tenant, ada.id)).toEqual([expect.objectContaining({ status: 'automation-disabled' })]);
  });
});

describe('the pattern language through automations', () => {
  // One automation per operator that matches one of Ada's events and one that nearly does; every
  // pattern names its detail-type, so each matching automation fires on exactly one event.
  const on = (detailType: string, data: Record<string, unknown>) => ({ 'detail-type': [detailType], detail: { data } });
  const CASES: Record<string, [hit: Record<string, unknown>, miss: Record<string, unknown>]> = {
    exact: [on(STAGE_CHANGED, { to: ['customer'] }), on(STAGE_CHANGED, { to: ['churned'] })],
    'exact-any-of': [on(STAGE_CHANGED, { to: ['mql', 'customer'] }), on(STAGE_CHANGED, { to: ['mql', 'sql'] })],
    prefix: [on(CREATED, { name: [{ prefix: 'Ada ' }] }), on(CREATED, { name: [{ prefix: 'Grace' }] })],
    'prefix-ignore-case': [on(CREATED, { name: [{ prefix: { 'equals-ignore-case': 'ADA LOVE' } }] }), on(CREATED, { name: [{ prefix: { 'equals-ignore-case': 'GRACE' } }] })],
    suffix: [on(CREATED, { primaryEmail: [{ suffix: '@example.com' }] }), on(CREATED, { primaryEmail: [{ suffix: '@example.org' }] })],
    'suffix-ignore-case': [on(CREATED, { primaryEmail: [{ suffix: { 'equals-ignore-case': '@EXAMPLE.COM' } }] }), on(CREATED, { primaryEmail: [{ suffix: { 'equals-ignore-case': '@EXAMPLE.ORG' } }] })],
    'equals-ignore-case': [on(CREATED, { kind: [{ 'equals-ignore-case': 'PERSON' }] }), on(CREATED, { kind: [{ 'equals-ignore-case': 'COMPANY' }] })],
    'anything-but-value': [on(STAGE_CHANGED, { to: [{ 'anything-but': 'churned' }] }), on(STAGE_CHANGED, { to: [{ 'anything-but': 'customer' }] })],
    'anything-but-list': [on(STAGE_CHANGED, { to: [{ 'anything-but': ['churned', 'evangelist'] }] }), on(STAGE_CHANGED, { to: [{ 'anything-but': ['customer', 'churned'] }] })],
    'anything-but-prefix': [on(STAGE_CHANGED, { from: [{ 'anything-but': { prefix: 'cust' } }] }), on(STAGE_CHANGED, { from: [{ 'anything-but': { prefix: 'le' } }] })],
    'anything-but-suffix': [on(STAGE_CHANGED, { to: [{ 'anything-but': { suffix: 'ed' } }] }), on(STAGE_CHANGED, { to: [{ 'anything-but': { suffix: 'mer' } }] })],
    'anything-but-ignore-case': [on(STAGE_CHANGED, { to: [{ 'anything-but': { 'equals-ignore-case': ['CHURNED'] } }] }), on(STAGE_CHANGED, { to: [{ 'anything-but': { 'equals-ignore-case': ['CUSTOMER'] } }] })],
    'numeric-range': [on(UPDATED, { version: [{ numeric: ['>=', 2, '<', 3] }] }), on(UPDATED, { version: [{ numeric: ['>', 2, '<=', 10] }] })],
    'numeric-equals': [on(UPDATED, { version: [{ numeric: ['=', 2] }] }), on(UPDATED, { version: [{ numeric: ['=', 3] }] })],
    'exists-true': [on(CREATED, { consent: { marketing: [{ exists: true }] } }), on(CREATED, { consent: { sms: [{ exists: true }] } })],
    'exists-false': [on(CREATED, { consent: { sms: [{ exists: false }] } }), on(CREATED, { consent: { marketing: [{ exists: false }] } })],
    wildcard: [{ 'detail-type': [{ wildcard: 'crm.customer.*-changed.v1' }] }, { 'detail-type': [{ wildcard: 'crm.deal.*.v1' }] }],
    or: [
      { 'detail-type': [STAGE_CHANGED], $or: [{ detail: { data: { to: ['evangelist'] } } }, { detail: { data: { from: ['lead'] } } }] },
      { 'detail-type': [STAGE_CHANGED], $or: [{ detail: { data: { to: ['evangelist'] } } }, { detail: { data: { from: ['mql'] } } }] },
    ],
    'array-value': [on(UPDATED, { changedFields: ['lifecycleStage'] }), on(UPDATED, { changedFields: ['phones'] })],
    'nested-boolean': [on(CREATED, { consent: { marketing: [true] } }), on(CREATED, { consent: { marketing: [false] } })],
    null: [on(CREATED, { ownerId: [null] }), on(CREATED, { ownerId: ['admin-1'] })],
    'envelope-field': [{ 'detail-type': [ACTIVITY], detail: { actor: { type: ['user'] }, data: { activityType: ['call'], followUp: [true] } } }, { 'detail-type': [ACTIVITY], detail: { actor: { type: ['system'] } } }],
  };

  it('every documented operator matches what it should and nothing else, each matching automation sending once', async () => {
    const { marketer, admin } = await marketingTenant();
    await putCap(marketer, 100);
    const labels = Object.entries(CASES).flatMap(([name, [hit, miss]]) => [
      [`op-${name}-hit`, hit],
      [`op-${name}-miss`, miss],
    ] as const);
    for (const [label, pattern] of labels) await automation(marketer, label, pattern);

    const ada = await createCustomer(admin, { kind: 'person' });
    await patchCustomer(admin, ada.id, { lifecycleStage: 'customer' });
    expect((await call('POST', `/customers/${ada.id}/activities`, { token: admin, body: { type: 'call', subject: 'Intro call' } })).status).toBe(201);
    await settle();

    const subjects = (await mailsTo(ada.email)).map((m) => m.subject.replace(' for Ada Lovelace', '')).sort();
    expect(subjects).toEqual(Object.keys(CASES).map((name) => `op-${name}-hit`).sort());
  });
});
