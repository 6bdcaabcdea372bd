import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

// Automations that mail leads (docs/marketing.md, "Leads as recipients of automations"): a lead
// event (created, qualified, nurtured) mails the lead it names, under the lead's own consent,
// frequency cap and the suppression list; its opens score; its link unsubscribes the lead.

interface Mail {
  messageId: string;
  to: string[];
  subject: string;
  headers: { name: string; value: string }[];
}
interface Lead {
  id: string;
  consent: Record<string, { granted: boolean; source?: string }>;
  signals: { count: number; recent: { type: string }[] };
}
interface Stats {
  sent: number;
  skipped: Record<string, number>;
  opened: number;
  unsubscribed: number;
}

const WORDING = 'Yes, send me news by email.';

async function leadTenant() {
  const tenant = newTenant();
  const marketer = await tokenFor(tenant, 'mkt-1', ['marketer']);
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const current = await call('GET', '/marketing-settings', { token: marketer });
  const saved = await call('PUT', '/marketing-settings', { token: marketer, body: { frequencyCap: { maxEmails: 5, windowDays: 7 } }, headers: { 'if-match': current.headers.get('etag')! } });
  expect(saved.status).toBe(200);
  const automation = async (label: string, eventPattern: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: label, subject: `${label}, {{customer.name}} ${tenant}`, html: '<p>Hi {{customer.name}}</p>', text: 'Hi {{customer.name}}' } });
    expect(template.status).toBe(201);
    const created = await call<{ id: string }>('POST', '/automations', { token: marketer, body: { name: label, eventPattern, templateId: template.body.id, topic: 'marketing', ...extra } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  const lead = async (name: string, consent: boolean | null) => {
    const email = uniqueEmail(name.toLowerCase());
    const body = { name, email, ...(consent === null ? {} : { consent: { marketing: consent }, consentText: WORDING }) };
    const created = await call<{ id: string }>('POST', '/leads', { token: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await settle();
    return { id: created.body.id, email };
  };
  const mails = async () => (await call<{ emails: Mail[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.endsWith(tenant));
  const stats = async (id: string) => (await call<{ stats: Stats }>('GET', `/automations/${id}`, { token: marketer })).body.stats;
  return { tenant, marketer, admin, automation, lead, mails, stats };
}

const newLeads = { 'detail-type': ['crm.lead.created.v1'], detail: { data: { disposition: ['new'] } } };
const runDueSweep = async () => expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);

describe('automations that mail leads', () => {
  it("mails a new lead at once under its own consent, records the send in the lead's partition, and counts its open as a lead signal", async () => {
    const t = await leadTenant();
    const id = await t.automation('Thanks for asking', newLeads);
    const ann = await t.lead('Ann', true);
    const bob = await t.lead('Bob', false);
    const cid = await t.lead('Cid', null);

    const mails = await t.mails();
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([[ann.email, `Thanks for asking, Ann ${t.tenant}`]]);
    expect(await t.stats(id)).toMatchObject({ sent: 1, skipped: { 'no-consent': 2 } });
    const events = (await call<{ emails: Mail[] }>('GET', '/_local/emails')).body.emails;
    expect(events.filter((m) => m.to.includes(bob.email) || m.to.includes(cid.email))).toEqual([]);

    // The send record lives in the lead's partition, named by the lead (erasing the lead deletes it).
    const records = await rawTable().send(
      new QueryCommand({ TableName: stack().tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :auto)', ExpressionAttributeValues: { ':pk': keys.leadPartition(t.tenant, ann.id), ':auto': '$MKT#AUTO#' }, ConsistentRead: true }),
    );
    expect(records.Items).toEqual([expect.objectContaining({ leadId: ann.id, automationId: id, status: 'sent', eventType: 'crm.lead.created.v1' })]);
    expect(records.Items![0]).not.toHaveProperty('customerId');

    const before = (await call<Lead>('GET', `/leads/${ann.id}`, { token: t.admin })).body;
    for (let i = 0; i < 2; i++) expect((await call('POST', '/_local/ses-events', { body: { messageId: mails[0]!.messageId, type: 'open' } })).status).toBe(200);
    await settle();
    const opened = (await call<Lead>('GET', `/leads/${ann.id}`, { token: t.admin })).body;
    expect(opened.signals.count).toBe(before.signals.count + 1);
    expect(opened.signals.recent[0]!.type).toBe('email-opened');
    expect((await t.stats(id)).opened).toBe(1);
  });

  it('drips to the nurture list: a delayed send on crm.lead.nurtured.v1 goes out when due, and its link unsubscribes the lead', async () => {
    const t = await leadTenant();
    const id = await t.automation('Still there', { 'detail-type': ['crm.lead.nurtured.v1'] }, { delay: 3600 });
    const ann = await t.lead('Ann', true);
    const dan = await t.lead('Dan', true);
    expect((await call('POST', `/leads/${ann.id}/disqualify`, { token: t.admin, body: { reason: 'Next quarter', nurture: true } })).status).toBe(200);
    // Ruled out is not nurtured: no drip for Dan.
    expect((await call('POST', `/leads/${dan.id}/disqualify`, { token: t.admin, body: { reason: 'No budget' } })).status).toBe(200);
    await settle();
    expect(await t.mails()).toEqual([]);

    await call('POST', '/_local/clock', { body: { advance: 'PT61M' } });
    await runDueSweep();
    await settle();
    const mails = await t.mails();
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([[ann.email, `Still there, Ann ${t.tenant}`]]);
    expect(await t.stats(id)).toMatchObject({ sent: 1 });

    const link = mails[0]!.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')!.value.replace(/^<|>$/g, '');
    const clicked = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const unsubscribed = (await call<Lead>('GET', `/leads/${ann.id}`, { token: t.admin })).body;
    expect(unsubscribed.consent.marketing).toMatchObject({ granted: false, source: 'unsubscribe-link' });
    expect((await t.stats(id)).unsubscribed).toBe(1);
  });

  it('keeps a lead under its own frequency cap and the suppression list, mails a converted lead nothing, and makes leads no offer', async () => {
    const t = await leadTenant();
    const current = await call('GET', '/marketing-settings', { token: t.marketer });
    expect((await call('PUT', '/marketing-settings', { token: t.marketer, body: { frequencyCap: { maxEmails: 1, windowDays: 7 } }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    const qualified = await t.automation('Talk to sales', { 'detail-type': ['crm.lead.qualified.v1'] });
    const offer = await t.automation('Spring offer', { 'detail-type': ['crm.lead.qualified.v1'], detail: { data: { level: ['sql'] } } }, { offer: 'spring' });
    const later = await t.automation('A week on', { 'detail-type': ['crm.lead.qualified.v1'], detail: { data: { level: ['mql'] } } }, { delay: 600 });
    const ann = await t.lead('Ann', true);
    const eve = await t.lead('Eve', true);
    expect((await call('POST', '/suppressions', { token: t.marketer, body: { email: eve.email } })).status).toBe(201);

    // MQL then SQL in one decision: two events, the cap of one a week lets the first mail through.
    expect((await call('POST', `/leads/${ann.id}/qualify`, { token: t.admin, body: { level: 'sql', reason: 'Has budget' } })).status).toBe(200);
    expect((await call('POST', `/leads/${eve.id}/qualify`, { token: t.admin, body: { level: 'mql', reason: 'Asked' } })).status).toBe(200);
    await settle();
    expect((await t.mails()).map((m) => m.to[0])).toEqual([ann.email]);
    expect(await t.stats(qualified)).toMatchObject({ sent: 1, skipped: { capped: 1, suppressed: 1 } });
    expect((await t.stats(offer)).skipped).toMatchObject({ 'offer-customers-only': 1 });

    // Converted before the delayed send falls due: it is a customer now, and the lead's send goes nowhere.
    const converted = await call('POST', `/leads/${ann.id}/convert`, { token: t.admin, body: {} });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    await call('POST', '/_local/clock', { body: { advance: 'PT11M' } });
    await runDueSweep();
    await settle();
    expect((await t.stats(later)).skipped).toMatchObject({ 'lead-gone': 1, suppressed: 1 });
    expect((await t.mails()).map((m) => m.to[0])).toEqual([ann.email]);
  });
});
