import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { CampaignRecipientFacts } from '../../../shared/campaigns/campaign-recipient-repository';
import { SuppressionRepository } from '../../../shared/consent/suppression-repository';
import { keys } from '../../../shared/keys';
import { call, rawTable, settle, stack, uniqueEmail } from '../client';
import { campaignTenant } from './campaign-fixtures';

/** Campaigns to a contacts segment (docs/marketing.md, "Contacts as recipients"): each person at a company, under their own consent and cap. */
interface Campaign {
  id: string;
  status: string;
  stats: Record<string, number>;
}
interface Email {
  messageId: string;
  to: string[];
  subject: string;
  text?: string;
  headers: { name: string; value: string }[];
}
interface Company360 {
  contacts: { id: string; consent: Record<string, boolean> }[];
}

async function setup() {
  const { tenant, marketer, admin } = await campaignTenant(1);
  const company = async (name: string, industry: string) => {
    const res = await call<{ id: string }>('POST', '/customers', { token: admin, body: { kind: 'company', name, industry, emails: [uniqueEmail(name.toLowerCase())], consent: { marketing: true } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const contact = async (customerId: string, name: string, consent: boolean, withEmail = true) => {
    const email = uniqueEmail(name.toLowerCase());
    const res = await call<{ id: string }>('POST', `/customers/${customerId}/contacts`, { token: admin, body: { name, ...(withEmail ? { emails: [email] } : {}), consent: { marketing: consent } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, email, customerId };
  };
  const acme = await company('Acme', 'Retail');
  const gone = await company('Gone', 'Retail');
  const mines = await company('Mines', 'Mining');
  const people = {
    ann: await contact(acme, 'Ann', true),
    bob: await contact(acme, 'Bob', true),
    cid: await contact(acme, 'Cid', false),
    dee: await contact(acme, 'Dee', true, false),
    eve: await contact(gone, 'Eve', true),
    fay: await contact(mines, 'Fay', true),
  };
  // A consenting person customer in Retail: a customer, not a contact.
  const person = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Pat', industry: 'Retail', emails: [uniqueEmail('pat')], consent: { marketing: true } } });
  expect(person.status).toBe(201);
  expect((await call('POST', '/suppressions', { token: marketer, body: { email: people.bob.email } })).status).toBe(201);
  const template = await call<{ id: string }>('POST', '/templates', {
    token: marketer,
    body: { name: 'People', subject: `Hello {{contact.name}} at {{customer.name}} ${tenant}`, html: '<p>Hi {{contact.name}}</p>', text: 'Hi {{contact.name}} ({{contact.email}})' },
  });
  const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'Retail buyers', audience: 'contacts', definition: { industries: ['Retail'] } } });
  expect([template.status, segment.status]).toEqual([201, 201]);
  return { tenant, marketer, admin, acme, gone, people, templateId: template.body.id, segmentId: segment.body.id };
}

const mailsOf = async (tenant: string) => (await call<{ emails: Email[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.endsWith(tenant));

async function send(s: Awaited<ReturnType<typeof setup>>, name: string): Promise<Campaign> {
  const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name, templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', ratePerSecond: 100 } });
  expect(created.status).toBe(201);
  expect((await call('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer })).status).toBe(200);
  await settle();
  return (await call<Campaign>('GET', `/campaigns/${created.body.id}`, { token: s.marketer })).body;
}

describe('campaigns to a contacts segment', () => {
  it('mails each consenting, unsuppressed contact of the live matching companies once, with its own fields; the link unsubscribes the contact', async () => {
    const s = await setup();
    // Gone's erasure deletes its contacts: Eve is in no audience any more.
    expect((await call('DELETE', `/customers/${s.gone}`, { token: s.admin })).status).toBe(204);

    const campaign = await send(s, 'Buyers');
    expect(campaign.status).toBe('sent');
    // Ann, Bob and Cid of Acme (Dee has no address); Fay's company is in Mining; Pat is a person customer.
    expect(campaign.stats).toMatchObject({ audience: 3, sent: 1, suppressed: 1, noConsent: 1, failed: 0 });
    const mails = await mailsOf(s.tenant);
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([[s.people.ann.email, `Hello Ann at Acme ${s.tenant}`]]);
    expect(mails[0]!.text).toContain(`Hi Ann (${s.people.ann.email})`);

    // SES events find the contact's recipient item: an open counts on the campaign.
    expect((await call('POST', '/_local/ses-events', { body: { messageId: mails[0]!.messageId, type: 'open' } })).status).toBe(200);
    await settle();
    expect((await call<Campaign>('GET', `/campaigns/${campaign.id}`, { token: s.marketer })).body.stats.opened).toBe(1);

    // The preference centre shows the contact's own topics; the one-click link withdraws the contact's consent, not the company's.
    const link = mails[0]!.headers.find((h) => h.name.toLowerCase() === 'list-unsubscribe')!.value.replace(/^<|>$/g, '');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/marketing/);
    const clicked = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const after = (await call<Company360 & { consent: Record<string, { granted: boolean }> }>('GET', `/customers/${s.acme}/360`, { token: s.admin })).body;
    expect(after.contacts.find((c) => c.id === s.people.ann.id)!.consent).toEqual({ marketing: false });
    expect(after.consent.marketing).toMatchObject({ granted: true });
    expect((await call<Campaign>('GET', `/campaigns/${campaign.id}`, { token: s.marketer })).body.stats.unsubscribed).toBe(1);

    // The next campaign skips her: no consent any more.
    expect((await send(s, 'Again')).stats).toMatchObject({ audience: 3, sent: 0, noConsent: 2, suppressed: 1 });
    expect(await mailsOf(s.tenant)).toHaveLength(1);
  });

  it("keeps each contact under its own frequency cap, in its company's partition where erasure takes it; refuses an offer", async () => {
    const s = await setup();
    expect((await send(s, 'First')).stats).toMatchObject({ sent: 2 });
    // The cap is one a week: Ann and Eve had theirs. The companies' own caps are untouched.
    expect((await send(s, 'Second')).stats).toMatchObject({ sent: 0, capped: 2 });
    const db = rawTable();
    const capItem = async (customerId: string, contactId: string) => (await db.send(new GetCommand({ TableName: stack().tableName, Key: keys.contactMarketingFrequency(s.tenant, customerId, contactId), ConsistentRead: true }))).Item;
    expect(((await capItem(s.acme, s.people.ann.id))?.sends as unknown[]).length).toBe(1);
    expect((await db.send(new GetCommand({ TableName: stack().tableName, Key: keys.marketingFrequency(s.tenant, s.acme) }))).Item).toBeUndefined();
    // Erasing Ann by her address (a privacy request) takes her cap item along: it says which campaigns mailed her.
    await settle();
    const erased = await call<{ request: { status: string } }>('POST', '/privacy/requests', { token: s.admin, body: { type: 'erasure', email: s.people.ann.email } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(201);
    expect(erased.body.request.status).toBe('completed');
    expect(await capItem(s.acme, s.people.ann.id)).toBeUndefined();
    expect(await capItem(s.gone, s.people.eve.id)).toBeDefined();

    // Just before SES: a contact is live while it and its company are; erasure ends both.
    const facts = new CampaignRecipientFacts(db, stack().tableName, new SuppressionRepository(db, stack().tableName));
    const companyOf = new Map([s.people.bob, s.people.eve].map((p) => [p.id, p.customerId]));
    expect(await facts.liveAmong(s.tenant, [s.people.bob.id, s.people.eve.id], 'contacts', companyOf)).toEqual(new Set([s.people.bob.id, s.people.eve.id]));
    expect((await call('DELETE', `/customers/${s.gone}`, { token: s.admin })).status).toBe(204);
    expect(await facts.liveAmong(s.tenant, [s.people.bob.id, s.people.eve.id], 'contacts', companyOf)).toEqual(new Set([s.people.bob.id]));
    expect(await capItem(s.gone, s.people.eve.id)).toBeUndefined();

    const offer = await call<{ errors: { path: string }[] }>('POST', '/campaigns', { token: s.marketer, body: { name: 'Offer', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', offer: 'spring' } });
    expect(offer.status).toBe(400);
    expect(offer.body.errors.map((e) => e.path)).toEqual(['offer']);
  });
});
