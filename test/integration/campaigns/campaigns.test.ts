import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../../shared/keys';
import { call, newTenant, rawTable, settle, stack, tokenFor, uniqueEmail } from '../client';

interface Stats {
  audience: number;
  suppressed: number;
  noConsent: number;
  capped: number;
  noAddress: number;
  overBudget: number;
  sent: number;
  failed: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
}
interface Campaign {
  id: string;
  status: string;
  stats: Stats;
  cost: { currency: string; amount: string };
  failure: string | null;
}
interface Email {
  messageId: string;
  to: string[];
  subject: string;
  text?: string;
  html?: string;
  headers: { name: string; value: string }[];
}

async function setup(tag: string) {
  const tenant = newTenant();
  const marketer = await tokenFor(tenant, 'marketer-1', ['marketer']);
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const subject = `Spring offer ${tenant}`;
  const template = await call<{ id: string }>('POST', '/templates', {
    token: marketer,
    body: { name: 'Spring', subject: `${subject} for {{customer.name}}`, html: '<p>Hello {{customer.name}}</p>', text: 'Hello {{customer.name}}' },
  });
  expect(template.status).toBe(201);
  const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'Spring', definition: { tags: { any: [tag] } } } });
  expect(segment.status).toBe(201);
  return { tenant, marketer, admin, subject, templateId: template.body.id, segmentId: segment.body.id };
}

async function customer(token: string, name: string, tags: string[], options: { email?: string | null; consent?: boolean } = {}) {
  const email = options.email === undefined ? uniqueEmail(name.toLowerCase()) : options.email;
  const { status, body } = await call<{ id: string }>('POST', '/customers', {
    token,
    body: { name, tags, ...(email ? { emails: [email] } : {}), consent: { marketing: options.consent ?? true } },
  });
  expect(status).toBe(201);
  return { id: body.id, email };
}

/**
 * The tenant's frequency cap: at most `maxEmails` marketing mails per customer per week. The
 * welcome mail is off: it would take a slot of each new customer's cap before the campaigns.
 */
async function setCap(token: string, maxEmails: number) {
  const current = await call('GET', '/marketing-settings', { token });
  const put = await call('PUT', '/marketing-settings', { token, body: { frequencyCap: { maxEmails, windowDays: 7 }, welcomeEmail: { enabled: false } }, headers: { 'if-match': current.headers.get('etag') ?? '"0"' } });
  expect(put.status).toBe(200);
}

const campaign = async (token: string, id: string) => (await call<Campaign>('GET', `/campaigns/${id}`, { token })).body;
const mailsWith = async (subject: string) => (await call<{ emails: Email[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.startsWith(subject));

async function sendCampaign(s: Awaited<ReturnType<typeof setup>>, extra: Record<string, unknown> = {}) {
  const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name: 'Spring', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', ...extra } });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('draft');
  const sent = await call<Campaign>('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer });
  expect(sent.status).toBe(200);
  return created.body.id;
}

describe('campaigns', () => {
  it('mails each eligible customer once and skips the opted-out, suppressed, capped and unreachable, with one-click unsubscribe', async () => {
    const s = await setup('spring');
    await setCap(s.admin, 1);
    const ada = await customer(s.admin, 'Ada', ['spring']);
    const bob = await customer(s.admin, 'Bob', ['spring']);
    await customer(s.admin, 'Cy', ['spring'], { consent: false });
    const dee = await customer(s.admin, 'Dee', ['spring']);
    await customer(s.admin, 'Eve', ['spring'], { email: null });
    const fay = await customer(s.admin, 'Fay', ['spring', 'earlier']);
    await call('POST', '/suppressions', { token: s.marketer, body: { email: dee.email } });
    // An earlier campaign mails Fay: with a cap of 1 per week, the spring campaign must skip her.
    const earlierSegment = await call<{ id: string }>('POST', '/segments', { token: s.marketer, body: { name: 'Earlier', definition: { tags: { any: ['earlier'] } } } });
    const earlier = await sendCampaign({ ...s, segmentId: earlierSegment.body.id });
    await settle();
    expect((await campaign(s.marketer, earlier)).stats).toMatchObject({ audience: 1, sent: 1 });

    const id = await sendCampaign(s);
    await settle();

    const done = await campaign(s.marketer, id);
    expect(done.status).toBe('sent');
    expect(done.stats).toMatchObject({ audience: 6, sent: 2, failed: 0, noConsent: 1, suppressed: 1, capped: 1, noAddress: 1, overBudget: 0 });
    expect(done.cost).toEqual({ currency: 'USD', amount: '0.0002' });

    // Fay's one mail is the earlier campaign's.
    const mails = await mailsWith(`${s.subject} for`);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([ada.email, bob.email, fay.email].sort());
    const adaMail = mails.find((m) => m.to[0] === ada.email)!;
    expect(adaMail.subject).toBe(`${s.subject} for Ada`);
    const header = (name: string) => adaMail.headers.find((h) => h.name === name)?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(header('List-Unsubscribe') ?? '')![1]!;
    expect(link.startsWith(`${stack().apiUrl}/unsubscribe/`)).toBe(true);
    // The template placed no link itself: the footer carries the same signed link.
    expect(adaMail.text).toContain(link);
    expect(adaMail.html).toContain(`href="${link}"`);

    const completed = (await call<{ events: { event: { detail: { data?: { campaignId: string; outcome: string; sent: number; skipped: number } } } }[] }>('GET', '/_local/events?detailType=crm.campaign.completed.v1')).body.events;
    expect(completed.map((e) => e.event.detail.data).filter((d) => d?.campaignId === id)).toEqual([expect.objectContaining({ outcome: 'sent', sent: 2, skipped: 4 })]);

    // One click on the link opts Ada out, counts on the campaign, and the next campaign skips her.
    const click = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(click.status).toBe(200);
    await settle();
    expect((await campaign(s.marketer, id)).stats.unsubscribed).toBe(1);
    expect((await call<{ consent: Record<string, boolean> }>('GET', `/customers/${ada.id}`, { token: s.admin })).body.consent.marketing).toBe(false);
    await setCap(s.admin, 10);
    const next = await sendCampaign(s);
    await settle();
    expect((await campaign(s.marketer, next)).stats).toMatchObject({ audience: 6, sent: 2, noConsent: 2, suppressed: 1, noAddress: 1 });
  });

  it('suppresses hard bounces and complaints from injected SES events and counts them on the campaign', async () => {
    const s = await setup('bounce');
    const ann = await customer(s.admin, 'Ann', ['bounce']);
    const ben = await customer(s.admin, 'Ben', ['bounce']);
    const id = await sendCampaign(s);
    await settle();
    const mails = await mailsWith(`${s.subject} for`);
    const messageOf = (email: string | null) => mails.find((m) => m.to[0] === email)!.messageId;
    for (const [messageId, type] of [[messageOf(ann.email), 'bounce'], [messageOf(ben.email), 'complaint'], [messageOf(ben.email), 'delivery'], [messageOf(ben.email), 'delivery']] as const) {
      expect((await call('POST', '/_local/ses-events', { body: { messageId, type } })).status).toBe(200);
    }
    await settle();
    expect((await campaign(s.marketer, id)).stats).toMatchObject({ sent: 2, bounced: 1, complained: 1, delivered: 1 });
    const { body } = await call<{ items: { email: string; reason: string }[] }>('GET', '/suppressions', { token: s.marketer });
    expect(body.items.map((i) => [i.email, i.reason]).sort()).toEqual([[ann.email, 'hard-bounce'], [ben.email, 'complaint']].sort());

    const again = await sendCampaign(s);
    await settle();
    expect((await campaign(s.marketer, again)).stats).toMatchObject({ audience: 2, sent: 0, suppressed: 2 });
  });

  it('does not make a customer a second, conflicting offer while another offer holds the lock', async () => {
    const s = await setup('offers');
    await setCap(s.admin, 10);
    const ida = await customer(s.admin, 'Ida', ['offers']);
    const spring = await sendCampaign(s, { offer: 'spring-sale' });
    await settle();
    expect((await campaign(s.marketer, spring)).stats).toMatchObject({ sent: 1, offerLocked: 0 });

    // Another offer within the lock period (14 days by default) skips her; the same offer again does not.
    const summer = await sendCampaign(s, { offer: 'summer-sale' });
    const reminder = await sendCampaign(s, { offer: 'spring-sale' });
    await settle();
    expect((await campaign(s.marketer, summer)).stats).toMatchObject({ audience: 1, sent: 0, offerLocked: 1 });
    expect((await campaign(s.marketer, reminder)).stats).toMatchObject({ audience: 1, sent: 1, offerLocked: 0 });
    expect((await mailsWith(`${s.subject} for`)).map((m) => m.to[0])).toEqual([ida.email, ida.email]);
  });

  it('pauses between batches and resumes with the recipients still queued, mailing nobody twice', async () => {
    const s = await setup('slow');
    const people = [];
    for (let i = 0; i < 8; i++) people.push(await customer(s.admin, `P${i}`, ['slow']));
    // Two per second: four batches of two, at least a second apart.
    const id = await sendCampaign(s, { ratePerSecond: 2 });
    let sentBeforePause = 0;
    for (let i = 0; i < 100 && sentBeforePause === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sentBeforePause = (await campaign(s.marketer, id)).stats.sent;
    }
    const paused = await call<Campaign>('POST', `/campaigns/${id}/pause`, { token: s.marketer });
    expect(paused.status).toBe(200);
    await settle();
    const whilePaused = await campaign(s.marketer, id);
    expect(whilePaused.status).toBe('paused');
    expect(whilePaused.stats.sent).toBeGreaterThan(0);
    expect(whilePaused.stats.sent).toBeLessThan(8);
    expect((await mailsWith(`${s.subject} for`)).length).toBe(whilePaused.stats.sent);
    expect((await call('POST', `/campaigns/${id}/pause`, { token: s.marketer })).status).toBe(409);

    expect((await call<Campaign>('POST', `/campaigns/${id}/resume`, { token: s.marketer })).status).toBe(200);
    await settle();
    const finished = await campaign(s.marketer, id);
    expect(finished.status).toBe('sent');
    expect(finished.stats.sent).toBe(8);
    const mails = await mailsWith(`${s.subject} for`);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(people.map((p) => p.email).sort());
  });

  it('retries a throttled batch with backoff and sends it once; SES calls are one per 50 recipients', async () => {
    const s = await setup('throttle');
    const people = [];
    for (let i = 0; i < 60; i++) people.push(await customer(s.admin, `T${i}`, ['throttle']));
    await setCap(s.admin, 10);
    await call('DELETE', '/_local/ses/calls');
    // Enough refusals to exhaust the SDK's own retries of one call: the flow must retry the batch.
    expect((await call('POST', '/_local/ses/throttle', { body: { count: 3 } })).status).toBe(200);
    const id = await sendCampaign(s, { ratePerSecond: 100 });
    await settle();
    const done = await campaign(s.marketer, id);
    expect(done).toMatchObject({ status: 'sent', stats: expect.objectContaining({ audience: 60, sent: 60, failed: 0 }) });
    const mails = await mailsWith(`${s.subject} for`);
    expect(mails).toHaveLength(60);
    expect(new Set(mails.map((m) => m.to[0])).size).toBe(60);
    const { body } = await call<{ summary: { sendBulkEmail: number; throttled: number } }>('GET', '/_local/ses/calls');
    expect(body.summary).toMatchObject({ sendBulkEmail: 2, throttled: 3 });
  });

  it('starts a scheduled campaign only once sendAt has come and the marketing-due schedule runs', async () => {
    const s = await setup('later');
    const lee = await customer(s.admin, 'Lee', ['later']);
    const { now } = (await call<{ now: string }>('GET', '/_local/clock')).body;
    const sendAt = new Date(Date.parse(now) + 3600_000).toISOString();
    const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name: 'Later', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', sendAt } });
    const scheduled = await call<Campaign>('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer });
    expect(scheduled.body.status).toBe('scheduled');
    const runDue = async () => expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);
    await runDue();
    await settle();
    expect((await campaign(s.marketer, created.body.id)).status).toBe('scheduled');
    expect(await mailsWith(`${s.subject} for`)).toHaveLength(0);

    await call('POST', '/_local/clock', { body: { advance: 'PT61M' } });
    await runDue();
    await settle();
    expect((await campaign(s.marketer, created.body.id)).stats).toMatchObject({ audience: 1, sent: 1 });
    expect((await mailsWith(`${s.subject} for`)).map((m) => m.to[0])).toEqual([lee.email]);
  });

  it('answers problem+json naming the field for bad input and refuses invalid transitions', async () => {
    const s = await setup('budget');
    for (let i = 0; i < 3; i++) await customer(s.admin, `B${i}`, ['budget']);
    const bad = await call<{ errors: { path: string }[] }>('POST', '/campaigns', { token: s.marketer, body: { name: 'x', templateId: 'nope', segmentId: s.segmentId, topic: 'Marketing!', ratePerSecond: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['ratePerSecond', 'topic']);
    const missing = await call<{ errors: { path: string }[] }>('POST', '/campaigns', { token: s.marketer, body: { name: 'x', templateId: 'nope', segmentId: s.segmentId, topic: 'marketing' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.path)).toEqual(['templateId']);
    const rep = await tokenFor(s.tenant, 'rep-1', ['rep']);
    expect((await call('POST', '/campaigns', { token: rep, body: { name: 'x', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing' } })).status).toBe(403);

    // A budget of one hundredth of a dollar buys 100 emails at the SES price: all three fit.
    const id = await sendCampaign(s, { budget: 1 });
    await settle();
    expect((await campaign(s.marketer, id)).stats).toMatchObject({ audience: 3, sent: 3, overBudget: 0 });
    expect((await call('POST', `/campaigns/${id}/send`, { token: s.marketer })).status).toBe(409);
    expect((await call('POST', `/campaigns/${id}/resume`, { token: s.marketer })).status).toBe(409);
    expect((await call('POST', `/campaigns/${id}/cancel`, { token: s.marketer })).status).toBe(409);

    const draft = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name: 'later', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing' } });
    const cancelled = await call<Campaign>('POST', `/campaigns/${draft.body.id}/cancel`, { token: s.marketer });
    expect(cancelled.body.status).toBe('cancelled');
    const item = await rawTable().send(new GetCommand({ TableName: stack().tableName, Key: keys.campaign(s.tenant, draft.body.id) }));
    expect(item.Item?.status).toBe('cancelled');
  });
});
