import { describe, expect, it } from 'vitest';
import { call, settle, uniqueEmail } from '../client';
import { campaignTenant } from './campaign-fixtures';

/** Campaigns to a leads segment (docs/marketing.md, "Leads as recipients"): the nurture list mailed under the leads' own consent. */
interface Campaign {
  id: string;
  status: string;
  stats: Record<string, number>;
}
interface Lead {
  id: string;
  consent: Record<string, { granted: boolean; source?: string }>;
  signals: { count: number; recent: { type: string }[] };
  score: { value: number };
}
interface Email {
  messageId: string;
  to: string[];
  subject: string;
  text?: string;
  headers: { name: string; value: string }[];
}

const WORDING = 'Yes, send me news and offers by email.';

async function setup() {
  const { tenant, marketer, admin } = await campaignTenant(1);
  const lead = async (name: string, consent: boolean | null, nurture: boolean) => {
    const email = uniqueEmail(name.toLowerCase());
    const body = { name, email, ...(consent === null ? {} : { consent: { marketing: consent }, consentText: WORDING }) };
    const created = await call<{ id: string }>('POST', '/leads', { token: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    if (nurture) expect((await call('POST', `/leads/${created.body.id}/disqualify`, { token: admin, body: { reason: 'Not now', nurture: true } })).status).toBe(200);
    return { id: created.body.id, email };
  };
  const people = {
    ann: await lead('Ann', true, true),
    bob: await lead('Bob', true, true),
    cid: await lead('Cid', false, true),
    dan: await lead('Dan', true, false),
  };
  expect((await call('POST', '/suppressions', { token: marketer, body: { email: people.bob.email } })).status).toBe(201);
  const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'Nurture', subject: `Still interested, {{customer.name}}? ${tenant}`, html: '<p>Hi {{customer.name}}</p>', text: 'Hi {{customer.name}}' } });
  const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'Nurture list', audience: 'leads', definition: { leadStatuses: ['nurture'] } } });
  expect([template.status, segment.status]).toEqual([201, 201]);
  return { tenant, marketer, admin, people, templateId: template.body.id, segmentId: segment.body.id };
}

const mailsOf = async (tenant: string) => (await call<{ emails: Email[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.endsWith(tenant));

describe('campaigns to a leads segment', () => {
  it('mails the consented, unsuppressed nurture leads once, with their own fields; opens score, the link unsubscribes the lead', async () => {
    const s = await setup();
    const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name: 'Nurture', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', ratePerSecond: 100 } });
    expect(created.status).toBe(201);
    expect((await call('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer })).status).toBe(200);
    await settle();
    const campaign = (await call<Campaign>('GET', `/campaigns/${created.body.id}`, { token: s.marketer })).body;
    expect(campaign.status).toBe('sent');
    expect(campaign.stats).toMatchObject({ audience: 3, sent: 1, suppressed: 1, noConsent: 1, failed: 0 });
    const mails = await mailsOf(s.tenant);
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([[s.people.ann.email, `Still interested, Ann? ${s.tenant}`]]);

    // Opens of the lead's mail: the first is a scoring signal, a second open adds none.
    const scoring = { fit: [], engagement: [{ name: 'Opened a mail', signal: 'email-opened', weight: 5, halfLifeDays: 30 }], thresholds: { mql: 40, sql: 60 } };
    expect((await call('PUT', '/lead-scoring', { token: s.admin, body: scoring })).status).toBe(200);
    const before = (await call<Lead>('GET', `/leads/${s.people.ann.id}`, { token: s.admin })).body;
    for (let i = 0; i < 2; i++) expect((await call('POST', '/_local/ses-events', { body: { messageId: mails[0]!.messageId, type: 'open' } })).status).toBe(200);
    await settle();
    const opened = (await call<Lead>('GET', `/leads/${s.people.ann.id}`, { token: s.admin })).body;
    expect(opened.signals.count).toBe(before.signals.count + 1);
    expect(opened.signals.recent[0]!.type).toBe('email-opened');
    expect(opened.score.value).toBeGreaterThan(before.score.value);
    expect((await call<Campaign>('GET', `/campaigns/${created.body.id}`, { token: s.marketer })).body.stats.opened).toBe(1);

    // The one-click link withdraws the lead's own consent and counts on the campaign.
    const link = mails[0]!.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')!.value.replace(/^<|>$/g, '');
    const clicked = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const unsubscribed = (await call<Lead>('GET', `/leads/${s.people.ann.id}`, { token: s.admin })).body;
    expect(unsubscribed.consent.marketing).toMatchObject({ granted: false, source: 'unsubscribe-link' });
    expect((await call<Campaign>('GET', `/campaigns/${created.body.id}`, { token: s.marketer })).body.stats.unsubscribed).toBe(1);
  });

  it('keeps each lead under its own frequency cap, and refuses an offer to leads', async () => {
    const s = await setup();
    const send = async (name: string) => {
      const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name, templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', ratePerSecond: 100 } });
      expect((await call('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer })).status).toBe(200);
      await settle();
      return (await call<Campaign>('GET', `/campaigns/${created.body.id}`, { token: s.marketer })).body;
    };
    expect((await send('First')).stats.sent).toBe(1);
    // The cap is one a week: Ann had hers.
    expect((await send('Second')).stats).toMatchObject({ sent: 0, capped: 1 });
    const offer = await call<{ errors: { path: string }[] }>('POST', '/campaigns', { token: s.marketer, body: { name: 'Offer', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', offer: 'spring' } });
    expect(offer.status).toBe(400);
    expect(offer.body.errors.map((e) => e.path)).toEqual(['offer']);
  });
});
