import { SendBulkEmailCommand, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { type CampaignStats, emptyCampaignStats } from '../../../shared/campaigns/campaign';
import { CampaignEngagementRepository } from '../../../shared/ses-events/campaign-engagement-repository';
import { sesTags } from '../../../shared/aws/ses-tags';
import { LOCAL_UNSUBSCRIBE_SECRET } from '../../../shared/consent/unsubscribe-secret-repository';
import { signUnsubscribeToken } from '../../../shared/consent/unsubscribe-token';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

/** The configuration set of stage `local`: the SES events rule only takes events of this stage's set. */
const CONFIGURATION_SET = 'crm-local';
const ISSUED_AT = '2026-11-20T10:00:00.000Z';

/** SES as the handlers reach it (the runtime's proxy in front of the stand-in); no SDK retries, so a throttle shows. */
const ses = () => new SESv2Client({ endpoint: stack().sesEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
const engagement = () => new CampaignEngagementRepository(rawTable(), stack().tableName);
const campaignId = () => `cmp-${Math.random().toString(36).slice(2, 10)}`;

interface Recipient {
  customerId: string;
  email: string;
}

/** A campaign item as the campaign flow stores it (stats all 0) and one `sent` recipient item per customer. */
async function storeCampaign(tenantId: string, id: string, recipients: Recipient[]): Promise<void> {
  const db = rawTable();
  await db.send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.campaign(tenantId, id), entity: 'Campaign', id, tenantId, topic: 'marketing', status: 'sending', stats: emptyCampaignStats(), version: 1 } }));
  for (const r of recipients) {
    await db.send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.campaignRecipient(tenantId, id, r.customerId), entity: 'CampaignRecipient', campaignId: id, customerId: r.customerId, status: 'sent' } }));
  }
}

/** Real customers (so the timeline has a profile to write beside), one address each. */
async function customers(tenantId: string, count: number): Promise<{ admin: string; recipients: Recipient[] }> {
  const admin = await tokenFor(tenantId, 'admin-1', ['admin']);
  const recipients: Recipient[] = [];
  for (let i = 0; i < count; i++) {
    const email = uniqueEmail(`r${i}`);
    const { body } = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: `Recipient ${i}`, emails: [email], consent: { marketing: true } } });
    recipients.push({ customerId: body.id, email });
  }
  await settle();
  return { admin, recipients };
}

/** One SendBulkEmail tagged as the campaign sender tags it; the message id per recipient. */
async function sendCampaignMail(tenantId: string, id: string, recipients: Recipient[]): Promise<string[]> {
  const output = await ses().send(
    new SendBulkEmailCommand({
      FromEmailAddress: 'crm@example.com',
      ConfigurationSetName: CONFIGURATION_SET,
      DefaultContent: { Template: { TemplateContent: { Subject: 'Our offer', Text: 'Hello' }, TemplateData: '{}' } },
      BulkEmailEntries: recipients.map((r) => ({
        Destination: { ToAddresses: [r.email] },
        ReplacementTags: sesTags({ tenantId, customerId: r.customerId, campaignId: id, recipientId: r.customerId, topic: 'marketing' }),
      })),
    }),
  );
  return (output.BulkEmailEntryResults ?? []).map((r) => {
    if (r.Status !== 'SUCCESS' || !r.MessageId) throw new Error(`not sent: ${JSON.stringify(r)}`);
    return r.MessageId;
  });
}

const inject = async (messageId: string, type: string, bounceType?: string) => {
  const response = await call('POST', '/_local/ses-events', { body: { messageId, type, ...(bounceType ? { bounceType } : {}) } });
  expect(response.status).toBe(200);
};

async function stored(tenantId: string, id: string, customerId?: string): Promise<Record<string, unknown> | undefined> {
  const key = customerId ? keys.campaignRecipient(tenantId, id, customerId) : keys.campaign(tenantId, id);
  return (await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: key, ConsistentRead: true }))).Item;
}
const statsOf = async (tenantId: string, id: string) => (await stored(tenantId, id))!.stats as CampaignStats;
const expectedStats = (counts: Partial<CampaignStats>) => ({ ...emptyCampaignStats(), ...counts });

describe('campaign stats from SES events', () => {
  it('deliveries, opens and clicks stamp the recipient and count once, however often SES redelivers them', async () => {
    const tenant = newTenant();
    const { admin, recipients } = await customers(tenant, 2);
    const [ada, bob] = recipients as [Recipient, Recipient];
    const id = campaignId();
    await storeCampaign(tenant, id, recipients);
    const [adaMail, bobMail] = (await sendCampaignMail(tenant, id, recipients)) as [string, string];

    for (const type of ['delivery', 'delivery', 'open', 'open', 'open', 'click', 'click']) await inject(adaMail, type);
    await inject(bobMail, 'delivery');
    await settle();

    expect(await statsOf(tenant, id)).toEqual(expectedStats({ delivered: 2, opened: 1, clicked: 1 }));
    const adaItem = (await stored(tenant, id, ada.customerId))!;
    expect(adaItem).toMatchObject({ status: 'sent', deliveredAt: expect.any(String), openedAt: expect.any(String), clickedAt: expect.any(String) });
    expect(adaItem).not.toHaveProperty('bouncedAt');
    const bobItem = (await stored(tenant, id, bob.customerId))!;
    expect(Object.keys(bobItem).filter((k) => k.endsWith('At')).sort()).toEqual(['deliveredAt']);

    // The stamps stay as first written: a later redelivery does not move them.
    await inject(adaMail, 'open');
    await settle();
    expect((await stored(tenant, id, ada.customerId))!.openedAt).toBe(adaItem.openedAt);
    expect(await statsOf(tenant, id)).toEqual(expectedStats({ delivered: 2, opened: 1, clicked: 1 }));
    // The timeline is unchanged by all this: one entry per kind, naming the campaign.
    const { body } = await call<{ items: { type: string; payload: Record<string, unknown> }[] }>('GET', `/customers/${ada.customerId}/activities`, { token: admin });
    expect(body.items.filter((a) => a.type === 'email-event').map((a) => [a.payload.event, a.payload.campaignId]).sort()).toEqual([
      ['click', id],
      ['delivery', id],
      ['open', id],
    ]);
  });

  it('every bounce counts as bounced, once; a hard bounce and a complaint also suppress the address', async () => {
    const tenant = newTenant();
    const { admin, recipients } = await customers(tenant, 2);
    const [ada, bob] = recipients as [Recipient, Recipient];
    const id = campaignId();
    await storeCampaign(tenant, id, recipients);
    const [adaMail, bobMail] = (await sendCampaignMail(tenant, id, recipients)) as [string, string];

    await inject(adaMail, 'bounce', 'Transient');
    await settle();
    expect(await statsOf(tenant, id)).toEqual(expectedStats({ bounced: 1 }));
    const { body: none } = await call<{ items: { email: string }[] }>('GET', '/suppressions', { token: admin });
    expect(none.items).toEqual([]);

    await inject(adaMail, 'bounce', 'Permanent');
    await inject(adaMail, 'bounce', 'Permanent');
    await inject(bobMail, 'complaint');
    await inject(bobMail, 'complaint');
    await settle();

    expect(await statsOf(tenant, id)).toEqual(expectedStats({ bounced: 1, complained: 1 }));
    expect(await stored(tenant, id, ada.customerId)).toMatchObject({ bouncedAt: expect.any(String) });
    expect(await stored(tenant, id, bob.customerId)).toMatchObject({ complainedAt: expect.any(String) });
    const { body } = await call<{ items: { email: string; reason: string; messageId: string }[] }>('GET', '/suppressions', { token: admin });
    expect(body.items.map((s) => [s.email, s.reason, s.messageId]).sort()).toEqual(
      [
        [ada.email, 'hard-bounce', adaMail],
        [bob.email, 'complaint', bobMail],
      ].sort(),
    );
  });

  it('an event for a recipient the campaign does not have counts nothing and creates no item', async () => {
    const tenant = newTenant();
    const { recipients } = await customers(tenant, 1);
    const id = campaignId();
    await storeCampaign(tenant, id, []);
    const [mail] = (await sendCampaignMail(tenant, id, recipients)) as [string];

    await inject(mail, 'delivery');
    await settle();
    expect(await statsOf(tenant, id)).toEqual(emptyCampaignStats());
    expect(await stored(tenant, id, recipients[0]!.customerId)).toBeUndefined();
    // The handler did not fail for it (no dead letter, one attempt).
    const { body } = await call<{ events: { event: { detail: { mail: { messageId: string } } }; deliveries: { status: string; attempts: number }[] }[] }>('GET', '/_local/events?detailType=Email%20Delivered');
    const event = body.events.find((e) => e.event.detail.mail.messageId === mail)!;
    expect(event.deliveries).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
  });
});

describe('CampaignEngagementRepository on DynamoDB Local', () => {
  it('counts concurrent events on one campaign exactly, and each recipient once', async () => {
    const tenant = newTenant();
    const id = campaignId();
    const recipients = Array.from({ length: 12 }, (_, i) => ({ customerId: `c-${i}`, email: '' }));
    await storeCampaign(tenant, id, recipients);
    const at = '2026-11-23T12:00:00.000Z';

    const first = await Promise.all(recipients.map((r) => engagement().record(tenant, id, r.customerId, 'deliveredAt', at)));
    expect(first).toEqual(recipients.map(() => 'counted'));
    const again = await Promise.all(recipients.map((r) => engagement().record(tenant, id, r.customerId, 'deliveredAt', at)));
    expect(again).toEqual(recipients.map(() => 'duplicate'));
    expect(await engagement().record(tenant, id, 'c-unknown', 'deliveredAt', at)).toBe('unknown-recipient');
    expect(await engagement().record(tenant, campaignId(), 'c-0', 'deliveredAt', at)).toBe('unknown-recipient');
    expect(await statsOf(tenant, id)).toEqual(expectedStats({ delivered: 12 }));
  });

  it('a real error throws instead of passing for a duplicate', async () => {
    const tenant = newTenant();
    const id = campaignId();
    // A campaign item without its stats map: the update's path is invalid, which is no duplicate.
    await rawTable().send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.campaign(tenant, id), entity: 'Campaign', id } }));
    await rawTable().send(new PutCommand({ TableName: stack().tableName, Item: { ...keys.campaignRecipient(tenant, id, 'c-1'), entity: 'CampaignRecipient', customerId: 'c-1' } }));
    await expect(engagement().record(tenant, id, 'c-1', 'openedAt', '2026-11-23T12:00:00.000Z')).rejects.toThrow();
    expect(await stored(tenant, id, 'c-1')).not.toHaveProperty('openedAt');
  });
});

describe('unsubscribes count on the campaign', () => {
  const oneClick = (token: string) =>
    fetch(`${stack().apiUrl}/unsubscribe/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

  it('a one-click unsubscribe through a link naming the campaign counts once, however often it is clicked', async () => {
    const tenant = newTenant();
    const { admin, recipients } = await customers(tenant, 1);
    const [ada] = recipients as [Recipient];
    const id = campaignId();
    await storeCampaign(tenant, id, recipients);
    const token = signUnsubscribeToken({ tenantId: tenant, customerId: ada.customerId, campaignId: id, topic: 'marketing', issuedAt: ISSUED_AT }, LOCAL_UNSUBSCRIBE_SECRET);

    expect((await oneClick(token)).status).toBe(200);
    expect((await oneClick(token)).status).toBe(200);
    expect(await statsOf(tenant, id)).toEqual(expectedStats({ unsubscribed: 1 }));
    expect(await stored(tenant, id, ada.customerId)).toMatchObject({ unsubscribedAt: expect.any(String) });

    const { body: customer } = await call<{ consent: Record<string, { granted: boolean; source: string }> }>('GET', `/customers/${ada.customerId}/360`, { token: admin });
    expect(customer.consent.marketing).toMatchObject({ granted: false, source: 'unsubscribe-link' });
    const { body } = await call<{ items: { type: string; payload: Record<string, unknown> }[] }>('GET', `/customers/${ada.customerId}/activities`, { token: admin });
    expect(body.items.filter((a) => a.type === 'unsubscribe')).toEqual([expect.objectContaining({ payload: expect.objectContaining({ campaignId: id, topic: 'marketing' }) })]);
  });

  it('a link without a campaign counts on no campaign', async () => {
    const tenant = newTenant();
    const { recipients } = await customers(tenant, 1);
    const id = campaignId();
    await storeCampaign(tenant, id, recipients);
    const token = signUnsubscribeToken({ tenantId: tenant, customerId: recipients[0]!.customerId, topic: 'marketing', issuedAt: ISSUED_AT }, LOCAL_UNSUBSCRIBE_SECRET);
    expect((await oneClick(token)).status).toBe(200);
    expect(await statsOf(tenant, id)).toEqual(emptyCampaignStats());
  });
});

describe('SES stand-in: throttling and the call log', () => {
  const sendOne = (to: string) =>
    new SendEmailCommand({ FromEmailAddress: 'crm@example.com', Destination: { ToAddresses: [to] }, Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } } });
  const mailTo = async (address: string) => (await call<{ emails: { to: string[] }[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.to.includes(address));

  it('POST /_local/ses/throttle makes the next sends fail as SES throttling does, storing nothing; then sends go through', async () => {
    const throttled = uniqueEmail('throttled');
    const bulkThrottled = uniqueEmail('bulk-throttled');
    const later = uniqueEmail('later');
    expect((await call('POST', '/_local/ses/throttle', { body: { count: 2 } })).body).toEqual({ remaining: 2 });
    expect((await call('GET', '/_local/ses/throttle')).body).toEqual({ remaining: 2 });

    await expect(ses().send(sendOne(throttled))).rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    await expect(sendCampaignMail(newTenant(), campaignId(), [{ customerId: 'c-1', email: bulkThrottled }])).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect((await call('GET', '/_local/ses/throttle')).body).toEqual({ remaining: 0 });

    expect((await ses().send(sendOne(later))).MessageId).toBeTruthy();
    expect(await mailTo(throttled)).toEqual([]);
    expect(await mailTo(bulkThrottled)).toEqual([]);
    expect(await mailTo(later)).toHaveLength(1);
  });

  it('refuses a throttle request without a count of 0 or more', async () => {
    for (const body of [{}, { count: -1 }, { count: 1.5 }, { count: '3' }]) {
      expect((await call('POST', '/_local/ses/throttle', { body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('GET', '/_local/ses/throttle')).body).toEqual({ remaining: 0 });
  });

  it('GET /_local/ses/calls logs every send with its real arrival time and recipients; DELETE resets it', async () => {
    await settle(); // welcome mails of earlier tests must not land in this count
    expect((await call('DELETE', '/_local/ses/calls')).status).toBe(200);
    const before = Date.now();
    await call('POST', '/_local/ses/throttle', { body: { count: 1 } });
    await expect(ses().send(sendOne(uniqueEmail('t')))).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    const recipients = [uniqueEmail('a'), uniqueEmail('b'), uniqueEmail('c')].map((email, i) => ({ customerId: `c-${i}`, email }));
    await sendCampaignMail(newTenant(), campaignId(), recipients);
    await ses().send(sendOne(uniqueEmail('d')));

    interface Calls {
      calls: { operation: string; at: number; outcome: string; status: number; destinations: number; recipients: number }[];
      dropped: number;
      summary: { sendEmail: number; sendBulkEmail: number; throttled: number; failed: number; recipients: number; maxRecipientsPerSecond: number; recipientsPerSecond: { second: number; recipients: number }[] };
    }
    const { body } = await call<Calls>('GET', '/_local/ses/calls');
    expect(body.calls.map((c) => [c.operation, c.outcome, c.status, c.destinations, c.recipients])).toEqual([
      ['SendEmail', 'throttled', 429, 1, 0],
      ['SendBulkEmail', 'accepted', 200, 3, 3],
      ['SendEmail', 'accepted', 200, 1, 1],
    ]);
    for (const c of body.calls) expect(c.at).toBeGreaterThanOrEqual(before);
    expect(body.calls.at(-1)!.at).toBeLessThanOrEqual(Date.now());
    expect(body.summary).toMatchObject({ sendEmail: 1, sendBulkEmail: 1, throttled: 1, failed: 0, recipients: 4 });
    expect(body.summary.recipientsPerSecond.reduce((sum, s) => sum + s.recipients, 0)).toBe(4);
    expect(body.summary.maxRecipientsPerSecond).toBe(Math.max(...body.summary.recipientsPerSecond.map((s) => s.recipients)));
    expect(body.summary.recipientsPerSecond.every((s) => s.second * 1000 >= before - 1000)).toBe(true);

    expect((await call('DELETE', '/_local/ses/calls')).body).toEqual({ reset: true });
    expect((await call<Calls>('GET', '/_local/ses/calls')).body).toMatchObject({ calls: [], dropped: 0, summary: { sendEmail: 0, recipients: 0, recipientsPerSecond: [] } });
  });
});
