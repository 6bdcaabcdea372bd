import { describe, expect, it } from 'vitest';
import type { Schemas } from '@serverless-crm/client';
import { call, settle, uniqueEmail } from '../client';
import { campaignTenant } from './campaign-fixtures';

/** A/B tests (docs/marketing.md, "A/B tests"): two variants on a share each, the winner to the rest. */
type Campaign = Schemas['CreateCampaignResponse'];
interface Email {
  messageId: string;
  to: string[];
  subject: string;
}

async function setup(people: number) {
  const { tenant, marketer, admin } = await campaignTenant();
  const template = async (name: string, subject: string) =>
    (await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name, subject, html: '<p>Hi {{customer.name}}</p>', text: 'Hi {{customer.name}}' } })).body.id;
  const control = await template('Control', `Control ${tenant}`);
  const other = await template('Other', `Other ${tenant}`);
  const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'AB', definition: { tags: { any: ['ab'] } } } });
  const emails: string[] = [];
  for (let i = 0; i < people; i++) {
    const email = uniqueEmail(`ab${i}`);
    expect((await call('POST', '/customers', { token: admin, body: { name: `Ab ${i}`, emails: [email], tags: ['ab'], consent: { marketing: true } } })).status).toBe(201);
    emails.push(email);
  }
  await settle();
  return { tenant, marketer, control, other, segmentId: segment.body.id, emails };
}

const mails = async (tenant: string) => (await call<{ emails: Email[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject.endsWith(tenant));
const read = async (token: string, id: string) => (await call<Campaign>('GET', `/campaigns/${id}`, { token })).body;

describe('A/B tests of campaigns', () => {
  it('mails each variant to its share, waits, then mails the variant with the better open rate to the rest, nobody twice', async () => {
    const s = await setup(40);
    const created = await call<Campaign>('POST', '/campaigns', {
      token: s.marketer,
      body: {
        name: 'AB',
        templateId: s.control,
        segmentId: s.segmentId,
        topic: 'marketing',
        ratePerSecond: 100,
        abTest: { variants: [{}, { templateId: s.other, subject: `New subject for {{customer.name}} ${s.tenant}` }], share: 25, waitMinutes: 60 },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.abTest).toMatchObject({ share: 25, winnerBy: 'opened', waitMinutes: 60, phase: 'testing', winner: null, variants: [{ name: 'A', templateId: s.control, subject: null }, { name: 'B', templateId: s.other }] });
    const id = created.body.id;
    expect((await call('POST', `/campaigns/${id}/send`, { token: s.marketer })).status).toBe(200);
    await settle();

    // The test: each variant to about a quarter, the rest waits; the run has ended.
    const testing = await read(s.marketer, id);
    const { now } = (await call<{ now: string }>('GET', '/_local/clock')).body;
    expect(testing.status).toBe('sending');
    expect(testing.abTest!.phase).toBe('waiting');
    expect(Date.parse(testing.abTest!.decideAt!) - Date.parse(now)).toBeGreaterThan(59 * 60_000);
    const a = testing.variantStats!.A.sent;
    const b = testing.variantStats!.B.sent;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBeLessThan(40);
    expect(testing.stats.sent).toBe(a + b);
    const testMails = await mails(s.tenant);
    expect(testMails.filter((m) => m.subject.startsWith('Control')).length).toBe(a);
    const bMails = testMails.filter((m) => m.subject.startsWith('New subject for Ab '));
    expect(bMails.length).toBe(b);

    // B's mails are opened (one twice: counted once), A's are not.
    for (const m of [bMails[0]!, bMails[0]!, ...bMails.slice(1, 2)]) expect((await call('POST', '/_local/ses-events', { body: { messageId: m.messageId, type: 'open' } })).status).toBe(200);
    await settle();
    const opened = await read(s.marketer, id);
    expect(opened.variantStats!.B.opened).toBe(Math.min(2, b));
    expect(opened.variantStats!.A.opened).toBe(0);

    // Before decideAt the sweep starts nothing; after it, B wins and goes to the rest.
    expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);
    expect((await read(s.marketer, id)).abTest!.phase).toBe('waiting');
    await call('POST', '/_local/clock', { body: { advance: 'PT61M' } });
    expect((await call('POST', '/_local/schedules/marketing-due/run')).status).toBe(200);
    await settle();
    const done = await read(s.marketer, id);
    expect(done.status).toBe('sent');
    expect(done.abTest).toMatchObject({ phase: 'decided', winner: 'B', decision: { A: { sent: a, count: 0, rate: 0 }, B: { sent: b, count: Math.min(2, b) } } });
    expect(done.stats.sent).toBe(40);
    expect(done.variantStats!.A.sent).toBe(a);
    expect(done.variantStats!.B.sent).toBe(40 - a);
    const all = await mails(s.tenant);
    expect(all.flatMap((m) => m.to).sort()).toEqual([...s.emails].sort());
    expect(all.filter((m) => m.subject.startsWith('Control')).length).toBe(a);
  });

  it('refuses shares outside 1-50 percent, unknown variant templates and unknown placeholders, naming the field', async () => {
    const s = await setup(0);
    const draft = (abTest: unknown) => call<{ errors: { path: string }[] }>('POST', '/campaigns', { token: s.marketer, body: { name: 'AB', templateId: s.control, segmentId: s.segmentId, topic: 'marketing', abTest } });
    for (const share of [0, 51, 12.5]) {
      const bad = await draft({ variants: [{}, { subject: 'B' }], share });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.path)).toEqual(['abTest.share']);
    }
    const missing = await draft({ variants: [{}, { templateId: 'no-such-template' }], share: 10 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.path)).toEqual(['abTest.variants.1.templateId']);
    const placeholder = await draft({ variants: [{ subject: 'Hi {{customer.shoeSize}}' }, {}], share: 10 });
    expect(placeholder.status).toBe(400);
    expect(placeholder.body.errors.map((e) => e.path)).toEqual(['abTest.variants.0.subject']);
    const one = await draft({ variants: [{}], share: 10 });
    expect(one.status).toBe(400);
    expect(one.body.errors.map((e) => e.path)).toContain('abTest.variants');
    expect((await call('GET', '/campaigns', { token: s.marketer })).body).toMatchObject({ items: [] });
  });
});
