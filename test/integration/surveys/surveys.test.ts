import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, stack, tokenFor, uniqueEmail } from '../client';

/**
 * Satisfaction surveys end to end through the local runtime (docs/service.md, "Satisfaction
 * surveys"): a resolved case mails the survey; its public links show pages, record, change and
 * refuse; the answer shows on the case, the timeline and the figures; a low one opens a task.
 */

interface Mail {
  to: string[];
  subject: string;
  text?: string;
  headers: { name: string; value: string }[];
}

async function staff(kind: 'csat' | 'nps' = 'csat', enabled = true) {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const agent = await tokenFor(tenant, 'agent-1', ['agent'], 'emea');
  expect((await call('PUT', '/users/agent-1', { token: admin, body: { email: 'agent-1@example.com', name: 'Ada Agent', teamId: 'emea' } })).status).toBe(201);
  if (enabled) {
    const put = await call('PUT', '/survey-settings', { token: admin, body: { enabled: true, kind }, headers: { 'if-match': '"0"' } });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
  return { tenant, admin, agent };
}

/** Opens a case for a new requester, assigned to agent-1, resolves it, and lets the rules run. */
async function resolvedCase(agent: string, requester = uniqueEmail('req'), extra: Record<string, unknown> = {}) {
  const opened = await call<{ id: string; customerId: string }>('POST', '/cases', { token: agent, body: { email: requester, subject: 'Export fails', description: 'CSV export stops at 1,000 rows.', assigneeId: 'agent-1', ...extra } });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  expect((await call('POST', `/cases/${opened.body.id}/resolve`, { token: agent })).status).toBe(200);
  await settle();
  return { ...opened.body, requester };
}

async function mailsTo(address: string): Promise<Mail[]> {
  const { body } = await call<{ emails: Mail[] }>('GET', '/_local/emails');
  return body.emails.filter((m) => m.to.includes(address));
}

/** The survey mail's links: score -> URL, and the comment page. */
function linksOf(mail: Mail): { scores: Map<number, string>; comment: string } {
  const scores = new Map([...(mail.text ?? '').matchAll(/^(\d{1,2}): (\S+)$/gm)].map((m) => [Number(m[1]), m[2]!]));
  const comment = /Anything to add\? (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  return { scores, comment };
}

/** A public page: HTML on success, problem+json otherwise. */
async function page(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  const response = await fetch(url, {
    method,
    ...(form ? { body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

const caseOf = (token: string, id: string) => call<{ satisfaction: { kind: string; score: number; comment: string | null; answeredAt: string } | null }>('GET', `/cases/${id}`, { token });
const figures = (token: string, query: string) => call<{ responses: number; distribution: Record<string, number>; csat: { satisfiedPercent: number | null; average: number | null } | null; nps: { score: number | null } | null }>('GET', `/service/satisfaction?${query}`, { token });

describe('satisfaction surveys', () => {
  it('mails one survey per resolution with a signed link per score and a comment link', async () => {
    const { agent } = await staff();
    const c = await resolvedCase(agent);
    const mails = await mailsTo(c.requester);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`How did we do? Export fails [case ${c.id}]`);
    const links = linksOf(mails[0]!);
    expect([...links.scores.keys()]).toEqual([1, 2, 3, 4, 5]);
    for (const url of links.scores.values()) expect(url.startsWith(`${stack().apiUrl}/surveys/`)).toBe(true);
    expect(links.comment).toMatch(/\/surveys\/[^/]+\/comment$/);
    // A one-click way out of surveys (RFC 8058), under the service-surveys topic.
    expect(mails[0]!.headers.map((h) => h.name)).toEqual(expect.arrayContaining(['List-Unsubscribe', 'List-Unsubscribe-Post', 'X-CRM-Case']));

    // Delivered again (settle again): still one mail.
    await settle();
    expect(await mailsTo(c.requester)).toHaveLength(1);

    // Its one-click unsubscribe refuses service surveys: the requester's next resolved case sends none.
    const unsubscribe = /<([^>]+)>/.exec(mails[0]!.headers.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!;
    const optOut = await fetch(unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(optOut.status).toBe(200);
    await resolvedCase(agent, c.requester);
    expect(await mailsTo(c.requester)).toHaveLength(1);
  });

  it('GET only shows the page; POST records, a second click changes it, after the window it is refused', async () => {
    const { agent, admin } = await staff();
    const c = await resolvedCase(agent);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);

    // What a link scanner does: fetch every link. Nothing is recorded.
    for (const url of scores.values()) {
      const shown = await page('GET', url);
      expect(shown.status).toBe(200);
      expect(shown.type).toContain('text/html');
    }
    expect((await caseOf(agent, c.id)).body.satisfaction).toBeNull();

    const first = await page('POST', scores.get(4)!, { comment: 'Quick and kind' });
    expect(first.status, first.text).toBe(200);
    expect(first.text).toContain('4 of 5');
    expect((await caseOf(agent, c.id)).body.satisfaction).toMatchObject({ kind: 'csat', score: 4, comment: 'Quick and kind' });

    const changed = await page('POST', scores.get(2)!);
    expect(changed.status).toBe(200);
    expect((await caseOf(agent, c.id)).body.satisfaction).toMatchObject({ score: 2, comment: 'Quick and kind' });

    await settle();
    const timeline = await call<{ items: { type: string; subject: string }[] }>('GET', `/customers/${c.customerId}/activities`, { token: admin });
    expect(timeline.body.items.filter((a) => a.type === 'case').map((a) => a.subject)).toEqual(expect.arrayContaining(['CSAT answered: 4 of 5', 'CSAT changed: 2 of 5 (was 4)']));

    // The default change window is 72 hours from the first answer.
    await call('POST', '/_local/clock', { body: { advance: 'PT73H' } });
    const late = await page('POST', scores.get(5)!);
    expect(late.status).toBe(409);
    expect(JSON.parse(late.text)).toMatchObject({ type: expect.stringContaining('survey-closed') });
    expect((await page('GET', scores.get(5)!)).status).toBe(409);
    // The answer as it stands is no change: a reload of the thank-you page still works.
    expect((await page('POST', scores.get(2)!)).status).toBe(200);
    expect((await caseOf(agent, c.id)).body.satisfaction).toMatchObject({ score: 2 });
  });

  it('refuses a tampered or foreign token with a 400 problem, never a 500', async () => {
    const { agent } = await staff();
    const c = await resolvedCase(agent);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);
    const url = scores.get(5)!;
    const [base, token] = [url.slice(0, url.lastIndexOf('/') + 1), url.slice(url.lastIndexOf('/') + 1)];
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, v: 1 })).toString('base64url')}.${signature}`;
    for (const bad of [forged, `${payload}.${signature.slice(0, -3)}abc`, 'abc.def']) {
      for (const method of ['GET', 'POST'] as const) {
        const answer = await page(method, `${base}${bad}`, method === 'POST' ? {} : undefined);
        expect(answer.status, `${method} ${bad}`).toBe(400);
        expect(answer.type).toContain('application/problem+json');
      }
    }
    // A browser gets a page, under the same status.
    const browser = await fetch(`${base}${forged}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(browser.status).toBe(400);
    expect(browser.headers.get('content-type')).toContain('text/html');
    expect(await browser.text()).toContain('This survey link is not valid');
    // The comment token is no rating link.
    const { comment } = linksOf((await mailsTo(c.requester))[0]!);
    expect((await page('POST', comment.replace(/\/comment$/, ''))).status).toBe(400);
    expect((await caseOf(agent, c.id)).body.satisfaction).toBeNull();
  });

  it('takes a score and a comment from the comment page, and asks for a score first', async () => {
    const { agent } = await staff();
    const c = await resolvedCase(agent);
    const { comment } = linksOf((await mailsTo(c.requester))[0]!);
    const form = await page('GET', comment);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="score"');
    const noScore = await page('POST', comment, { comment: 'words only' });
    expect(noScore.status).toBe(400);
    expect(JSON.parse(noScore.text).errors.map((e: { path: string }) => e.path)).toEqual(['score']);
    expect((await page('POST', comment, { score: '9', comment: 'x' })).status).toBe(400);
    expect((await page('POST', comment, { score: '5', comment: 'Great help' })).status).toBe(200);
    // Later a comment alone adds to the answer.
    expect((await page('POST', comment, { comment: 'Really great' })).status).toBe(200);
    expect((await caseOf(agent, c.id)).body.satisfaction).toMatchObject({ score: 5, comment: 'Really great' });
  });

  it('opens one follow-up task for a low score, for the case assignee, however often it is answered low', async () => {
    const { agent } = await staff();
    const c = await resolvedCase(agent);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);
    expect((await page('POST', scores.get(2)!)).status).toBe(200);
    await settle();
    expect((await page('POST', scores.get(1)!)).status).toBe(200);
    await settle();
    const tasks = await call<{ items: { title: string; source: string; customerId: string; assigneeId: string }[] }>('GET', '/tasks?assignee=me', { token: agent });
    const followUps = tasks.body.items.filter((t) => t.source === 'case-survey');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({ customerId: c.customerId, assigneeId: 'agent-1' });
    expect(followUps[0]!.title).toContain('CSAT 2 of 5');
  });

  it("gives the follow-up to the customer's owner when nobody is assigned to the case", async () => {
    const { tenant, agent, admin } = await staff();
    const rep = await tokenFor(tenant, 'rep-1', ['rep']);
    expect((await call('PUT', '/users/rep-1', { token: admin, body: { email: 'rep-1@example.com', name: 'Rita Rep' } })).status).toBe(201);
    const requester = uniqueEmail('owned');
    const customer = await call<{ id: string }>('POST', '/customers', { token: rep, body: { name: 'Owned Co', emails: [requester] } });
    const opened = await call<{ id: string }>('POST', '/cases', { token: agent, body: { customerId: customer.body.id, subject: 'Login', description: 'Cannot log in.' } });
    expect((await call('POST', `/cases/${opened.body.id}/resolve`, { token: agent })).status).toBe(200);
    await settle();
    const { scores } = linksOf((await mailsTo(requester))[0]!);
    expect((await page('POST', scores.get(1)!)).status).toBe(200);
    await settle();
    const tasks = await call<{ items: { source: string; customerId: string }[] }>('GET', '/tasks?assignee=me', { token: rep });
    expect(tasks.body.items.filter((t) => t.source === 'case-survey').map((t) => t.customerId)).toEqual([customer.body.id]);
  });

  it('keeps exact figures for the agent, the team and the tenant: a changed score moves its count', async () => {
    const { agent, admin } = await staff();
    const [a, b] = [await resolvedCase(agent), await resolvedCase(agent)];
    // Surveys count in the month they were sent: ask for that month, whatever the runtime clock does later.
    const month = (await call<{ now: string }>('GET', '/_local/clock')).body.now.slice(0, 7);
    const linksA = linksOf((await mailsTo(a.requester))[0]!).scores;
    const linksB = linksOf((await mailsTo(b.requester))[0]!).scores;
    await page('POST', linksA.get(5)!);
    await page('POST', linksB.get(1)!);
    await page('POST', linksB.get(4)!);

    for (const query of ['agentId=agent-1', 'teamId=emea', '']) {
      const got = await figures(admin, `month=${month}&${query}`);
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      expect(got.body).toMatchObject({ responses: 2, distribution: { 1: 0, 4: 1, 5: 1 }, csat: { satisfiedPercent: 100, average: 4.5 } });
    }
    expect((await figures(agent, `month=${month}&agentId=agent-1`)).body.responses).toBe(2);
    expect((await figures(agent, 'agentId=admin-1')).status).toBe(403);
    expect((await figures(admin, 'month=2026-13')).status).toBe(400);
  });

  it('counts two simultaneous first clicks as one answer: one records, the other changes it', async () => {
    const { agent, admin } = await staff();
    const c = await resolvedCase(agent);
    const month = (await call<{ now: string }>('GET', '/_local/clock')).body.now.slice(0, 7);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);
    const answers = await Promise.all([page('POST', scores.get(3)!), page('POST', scores.get(5)!), page('POST', scores.get(1)!)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const got = await figures(admin, `month=${month}&agentId=agent-1`);
    expect(got.body.responses).toBe(1);
    expect(Object.values(got.body.distribution).reduce((sum, n) => sum + n, 0)).toBe(1);
    const score = (await caseOf(agent, c.id)).body.satisfaction!.score;
    expect(got.body.distribution[String(score)]).toBe(1);
  });

  it("forgets the answer with the customer's erasure: the case shows none, the links answer 410, the counts stay", async () => {
    const { agent, admin } = await staff();
    const c = await resolvedCase(agent);
    const month = (await call<{ now: string }>('GET', '/_local/clock')).body.now.slice(0, 7);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);
    expect((await page('POST', scores.get(3)!, { comment: 'I live at 5 Elm St' })).status).toBe(200);
    expect((await call('DELETE', `/customers/${c.customerId}`, { token: admin })).status).toBe(204);
    await settle();
    const after = await caseOf(agent, c.id);
    expect(after.body.satisfaction).toBeNull();
    expect(JSON.stringify(after.body)).not.toContain('Elm');
    expect((await page('POST', scores.get(4)!)).status).toBe(410);
    expect((await page('GET', scores.get(4)!)).status).toBe(410);
    expect((await figures(admin, `month=${month}&agentId=agent-1`)).body.responses).toBe(1);
  });

  it('mails nobody whose address is suppressed, who refused service surveys, or in a tenant that has surveys off', async () => {
    const { agent, admin } = await staff();
    const suppressed = uniqueEmail('bounced');
    expect((await call('POST', '/suppressions', { token: admin, body: { email: suppressed } })).status).toBe(201);
    await resolvedCase(agent, suppressed);
    expect(await mailsTo(suppressed)).toHaveLength(0);

    const refusing = uniqueEmail('no-surveys');
    const customer = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'No Surveys', emails: [refusing], consent: { 'service-surveys': false } } });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    await resolvedCase(agent, refusing);
    expect(await mailsTo(refusing)).toHaveLength(0);

    const off = await staff('csat', false);
    const quiet = await resolvedCase(off.agent);
    expect(await mailsTo(quiet.requester)).toHaveLength(0);
  });

  it('surveys NPS 0-10 when the tenant chose it, with NPS figures', async () => {
    const { agent, admin } = await staff('nps');
    const c = await resolvedCase(agent);
    const { scores } = linksOf((await mailsTo(c.requester))[0]!);
    expect([...scores.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await page('POST', scores.get(10)!)).status).toBe(200);
    const month = (await call<{ now: string }>('GET', '/_local/clock')).body.now.slice(0, 7);
    expect((await figures(admin, `kind=nps&month=${month}`)).body).toMatchObject({ responses: 1, nps: { score: 100 } });
  });
});
