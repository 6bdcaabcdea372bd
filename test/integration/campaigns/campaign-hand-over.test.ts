import { describe, expect, it } from 'vitest';
import { call, settle, uniqueEmail } from '../client';
import { campaignTenant } from './campaign-fixtures';
import { newImport, ran, upload } from '../imports/import-helpers';

/**
 * Campaigns of any size (docs/marketing.md, "Campaigns of any size"): the local stage gives each
 * execution of the campaign flow a history budget of 5 batches, so a run of more than 250
 * recipients continues in fresh executions, as a large campaign does in AWS at 1,000 batches.
 */
interface Campaign {
  id: string;
  status: string;
  runId: string | null;
  stats: { audience: number; sent: number; failed: number };
}
interface Execution {
  name: string;
  flow: string;
  status: string;
  historyEvents: number;
}
interface Email {
  to: string[];
  subject: string;
}

const BUDGET = 5;

async function setup() {
  const { tenant, marketer, admin } = await campaignTenant();
  const subject = `Big one ${tenant}`;
  const template = await call<{ id: string }>('POST', '/templates', { token: marketer, body: { name: 'Big', subject, html: '<p>Hello {{customer.name}}</p>', text: 'Hello {{customer.name}}' } });
  const segment = await call<{ id: string }>('POST', '/segments', { token: marketer, body: { name: 'Everyone', definition: { tags: { any: ['big'] } } } });
  expect([template.status, segment.status]).toEqual([201, 201]);
  return { marketer, admin, subject, templateId: template.body.id, segmentId: segment.body.id };
}

async function send(s: Awaited<ReturnType<typeof setup>>, ratePerSecond: number): Promise<string> {
  const created = await call<Campaign>('POST', '/campaigns', { token: s.marketer, body: { name: 'Big', templateId: s.templateId, segmentId: s.segmentId, topic: 'marketing', ratePerSecond } });
  expect(created.status).toBe(201);
  expect((await call('POST', `/campaigns/${created.body.id}/send`, { token: s.marketer })).status).toBe(200);
  return created.body.id;
}

const campaign = async (token: string, id: string) => (await call<Campaign>('GET', `/campaigns/${id}`, { token })).body;
const executionsOf = async (runId: string) =>
  (await call<{ executions: Execution[] }>('GET', '/_local/executions')).body.executions.filter((e) => e.flow === 'campaign' && (e.name === runId || e.name.startsWith(`${runId}-p`)));
const mailedTo = async (subject: string) => (await call<{ emails: Email[] }>('GET', '/_local/emails')).body.emails.filter((m) => m.subject === subject).flatMap((m) => m.to);

describe('campaigns across executions', () => {
  // About 20 s alone on 2 cores (1,000 imported, then 20 batches); a busy machine doubles it.
  it('sends 1,000 recipients in four executions of at most five batches, each far under the history limit, nobody twice', { timeout: 150_000 }, async () => {
    const s = await setup();
    const emails = Array.from({ length: 1000 }, (_, i) => uniqueEmail(`big${i}`));
    const job = await newImport(s.admin, {});
    await upload(job, `name,emails,tags,consent.marketing\n${emails.map((e, i) => `Big ${i},${e},big,yes`).join('\n')}\n`);
    expect(await ran(s.admin, job)).toMatchObject({ status: 'completed', created: 1000 });

    const id = await send(s, 1000);
    await settle();
    const done = await campaign(s.marketer, id);
    expect(done.status).toBe('sent');
    expect(done.stats).toMatchObject({ audience: 1000, sent: 1000, failed: 0 });
    const mailed = await mailedTo(s.subject);
    expect(mailed).toHaveLength(1000);
    expect(new Set(mailed)).toEqual(new Set(emails));

    // 1,000 recipients = 20 batches of 50 = 4 executions of 5 batches; the fourth finds nobody left and completes.
    const runs = await executionsOf(done.runId!);
    expect(runs.map((e) => e.name).sort()).toEqual([done.runId, `${done.runId}-p1`, `${done.runId}-p2`, `${done.runId}-p3`]);
    expect(runs.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    // About 7.6 history events a batch plus about 40 for the steps around them.
    for (const e of runs) expect(e.historyEvents, e.name).toBeGreaterThan(BUDGET * 7);
    for (const e of runs) expect(e.historyEvents, e.name).toBeLessThan(BUDGET * 8 + 60);
  });

  it('pauses a run in its second execution and resumes it in a new run, mailing each recipient once', async () => {
    const s = await setup();
    const emails: string[] = [];
    for (let i = 0; i < 16; i++) {
      const email = uniqueEmail(`slow${i}`);
      const created = await call('POST', '/customers', { token: s.admin, body: { name: `Slow ${i}`, emails: [email], tags: ['big'], consent: { marketing: true } } });
      expect(created.status).toBe(201);
      emails.push(email);
    }
    await settle();
    // Two per second: batches of two, 8 batches, so the first execution hands over after 5.
    const id = await send(s, 2);
    const firstRun = `${id}-r1`;
    let handedOver = false;
    for (let i = 0; i < 200 && !handedOver; i++) {
      await new Promise((r) => setTimeout(r, 50));
      handedOver = (await executionsOf(firstRun)).some((e) => e.name === `${firstRun}-p1`);
    }
    expect(handedOver).toBe(true);
    expect((await call('POST', `/campaigns/${id}/pause`, { token: s.marketer })).status).toBe(200);
    await settle();
    const paused = await campaign(s.marketer, id);
    expect(paused.status).toBe('paused');
    expect(paused.stats.sent).toBeGreaterThanOrEqual(BUDGET * 2);
    expect(paused.stats.sent).toBeLessThan(16);
    // The paused run stopped in its second execution and started no third.
    expect((await executionsOf(firstRun)).map((e) => [e.name, e.status]).sort()).toEqual([
      [firstRun, 'SUCCEEDED'],
      [`${firstRun}-p1`, 'SUCCEEDED'],
    ]);

    expect((await call('POST', `/campaigns/${id}/resume`, { token: s.marketer })).status).toBe(200);
    await settle();
    const finished = await campaign(s.marketer, id);
    expect(finished).toMatchObject({ status: 'sent', runId: `${id}-r2`, stats: { sent: 16, failed: 0 } });
    const mailed = await mailedTo(s.subject);
    expect(mailed.sort()).toEqual([...emails].sort());
  });
});
