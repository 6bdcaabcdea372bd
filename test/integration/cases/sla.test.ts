import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

// SLA policies applied to cases (docs/service.md, "SLA policies"), end to end on the local
// runtime: the policy PUT, the SLA block every case write keeps, and the sweep (run by hand, twice)
// raising warnings and breaches once each, escalated by mail to the SES stand-in. Time travels
// with /_local/clock to a Friday before the autumn DST change, so the due times cross a weekend,
// a holiday and the change, matched to the minute.

interface Target { startedAt: string; minutes: number; dueAt: string | null; warnAt: string | null; metAt: string | null; warnedAt: string | null; breachedAt: string | null; status: string }
interface Sla { policyId: string; policyVersion: number; level: string | null; targets: Record<string, number>; pauses: { from: string; to: string | null }[]; firstResponse: Target; nextResponse: Target | null; resolution: Target; nextAlertAt: string | null }
interface Case { id: string; customerId: string; status: string; version: number; sla: Sla | null; errors?: { path: string }[] }
interface Problem { type?: string; errors?: { path: string }[] }
interface BusRecord { event: { 'detail-type': string; detail: { tenantId: string; data: Record<string, unknown> } } }

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** The clock runs on after it is set (milliseconds of the request carry into every time): times are matched to the minute. */
const minute = (ms: number) => expect.stringMatching(new RegExp(`^${iso(ms).slice(0, 16)}`));
const setClock = (instant: number) => call('POST', '/_local/clock', { body: { now: iso(instant) } });
const runtimeNow = async () => Date.parse((await call<{ now: string }>('GET', '/_local/clock')).body.now);
const sweep = async () => {
  expect((await call('POST', '/_local/schedules/sla-alerts/run')).status).toBe(200);
  await settle();
};

/**
 * The last Sunday of October (Europe/Berlin falls back at 01:00 UTC that day) of the first year
 * whose October is still ahead of the runtime clock; its Friday, Monday and Tuesday in UTC.
 */
function autumnWeekend(now: number) {
  for (let year = new Date(now).getUTCFullYear(); ; year++) {
    const lastSunday = Date.UTC(year, 9, 31) - new Date(Date.UTC(year, 9, 31)).getUTCDay() * DAY;
    if (lastSunday - 3 * DAY > now) return { friday: lastSunday - 2 * DAY, monday: lastSunday + DAY, tuesday: lastSunday + 2 * DAY, wednesday: lastSunday + 3 * DAY };
  }
}
const H = 3_600_000;
const M = 60_000;

const targets = (first: number, next: number, resolution: number) => ({ firstResponseMinutes: first, nextResponseMinutes: next, resolutionMinutes: resolution });
const weekdays = Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
const policyBody = (holidays: string[], extra: Record<string, unknown> = {}) => ({
  name: 'Standard support',
  calendar: { timeZone: 'Europe/Berlin', weeklyHours: weekdays, holidays },
  targets: { low: targets(480, 480, 2400), normal: targets(120, 60, 480), high: targets(60, 60, 480), urgent: targets(30, 30, 240) },
  levelOverrides: { gold: { normal: { firstResponseMinutes: 30 } } },
  ...extra,
});

async function staff() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const invite = async (body: Record<string, unknown>) => {
    const res = await call<{ userId: string }>('POST', '/users', { token: admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.userId;
  };
  const leadEmail = uniqueEmail('lead');
  const leadId = await invite({ email: leadEmail, name: 'Lea Lead', groups: ['manager'] });
  const agentId = await invite({ email: uniqueEmail('agent'), name: 'Ada Agent', groups: ['agent'], managerId: leadId });
  const agent = await tokenFor(tenant, agentId, ['agent']);
  const manager = await tokenFor(tenant, leadId, ['manager']);
  return { tenant, admin, agent, agentId, manager, leadEmail };
}

async function slaEvents(detailType: string, caseId: string) {
  await settle();
  const { body } = await call<{ events: BusRecord[] }>('GET', `/_local/events?detailType=${detailType}`);
  return body.events.map((r) => r.event.detail.data).filter((d) => d.caseId === caseId);
}
async function mailsTo(address: string) {
  const { body } = await call<{ emails: { to: string[]; subject: string; text?: string }[] }>('GET', '/_local/emails');
  // The invitation (temporary password) went there too; only SLA mail counts here.
  return body.emails.filter((m) => m.to.includes(address) && m.subject.startsWith('SLA '));
}

describe('SLA policies', () => {
  it('are set by admins and managers (400 naming fields, 412 on a stale If-Match) and read by service staff', async () => {
    const { admin, agent, manager } = await staff();
    const bad = await call<Problem>('PUT', '/sla-policies/default', {
      token: admin,
      body: { ...policyBody(['2027-02-30']), calendar: { timeZone: 'Mars/Olympus', weeklyHours: weekdays, holidays: ['2027-02-30'] }, categories: ['Not A Category'], escalateTo: ['nobody'], warningPercentUsed: 100 },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['calendar.timeZone', 'calendar.holidays.0', 'categories.0', 'warningPercentUsed']));
    const noTargets = await call<Problem>('PUT', '/sla-policies/default', { token: admin, body: { ...policyBody([]), targets: { normal: targets(1, 1, 1) } } });
    expect(noTargets.status).toBe(400);
    expect(noTargets.body.errors?.map((e) => e.path)).toEqual(expect.arrayContaining(['targets.low', 'targets.high', 'targets.urgent']));
    const unknownUser = await call<Problem>('PUT', '/sla-policies/default', { token: admin, body: { ...policyBody([]), escalateTo: ['nobody'] } });
    expect(unknownUser.body.errors?.map((e) => e.path)).toEqual(['escalateTo.0']);
    expect((await call<Problem>('PUT', '/sla-policies/Bad_Id', { token: admin, body: policyBody([]) })).body.errors?.map((e) => e.path)).toEqual(['path.policyId']);

    expect((await call('PUT', '/sla-policies/default', { token: agent, body: policyBody([]) })).status).toBe(403);
    const created = await call<{ id: string; version: number; categories: string[] }>('PUT', '/sla-policies/default', { token: admin, body: policyBody([]) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.body).toMatchObject({ id: 'default', version: 1, categories: [], warningPercentUsed: 80 });

    const billing = await call('PUT', '/sla-policies/billing', { token: manager, body: policyBody([], { categories: ['billing'] }) });
    expect(billing.status).toBe(201);
    const clash = await call<Problem>('PUT', '/sla-policies/vip', { token: manager, body: policyBody([], { categories: ['general', 'billing'] }) });
    expect(clash.status).toBe(400);
    expect(clash.body.errors?.map((e) => e.path)).toEqual(['categories.1']);

    // Two managers edit version 1: one wins, the other's If-Match is stale.
    const first = await call('PUT', '/sla-policies/default', { token: admin, body: policyBody([], { name: 'A' }), headers: { 'if-match': '"1"' } });
    const second = await call<Problem & { currentVersion?: number }>('PUT', '/sla-policies/default', { token: manager, body: policyBody([], { name: 'B' }), headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    expect(second.status).toBe(412);
    expect(second.body.currentVersion).toBe(2);

    const list = await call<{ items: { id: string; name: string }[] }>('GET', '/sla-policies', { token: agent });
    expect(list.body.items.map((p) => [p.id, p.name])).toEqual([['billing', 'Standard support'], ['default', 'A']]);
    const one = await call<{ version: number }>('GET', '/sla-policies/default', { token: agent });
    expect(one.headers.get('etag')).toBe('"2"');
    expect((await call('GET', '/sla-policies/none', { token: agent })).status).toBe(404);
  });

  it('hold a case to its due times across a weekend, a holiday and DST; pause while pending the customer; warn, breach and escalate once each', async () => {
    const { admin, agent, agentId, leadEmail } = await staff();
    const { friday, monday, tuesday, wednesday } = autumnWeekend(await runtimeNow());
    const mondayDate = iso(monday).slice(0, 10);
    expect((await call('PUT', '/sla-policies/default', { token: admin, body: policyBody([mondayDate]) })).status).toBe(201);

    // Friday 16:30 CEST (14:30 UTC): 30 minutes left that day; Saturday, Sunday (the clocks go back) and the holiday Monday closed.
    expect((await setClock(friday + 14 * H + 30 * M)).status).toBe(200);
    const opened = await call<Case>('POST', '/cases', { token: agent, body: { email: uniqueEmail('cust'), subject: 'Printer on fire', description: 'Smoke.', assigneeId: agentId } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.id;
    // Tuesday opens at 09:00 CET = 08:00 UTC. First response 120: 30 + 90 -> 09:30 UTC; warned at 96: 09:06 UTC.
    // Resolution 480: 30 + 450 -> 15:30 UTC.
    expect(opened.body.sla).toMatchObject({
      policyId: 'default',
      policyVersion: 1,
      level: null,
      targets: targets(120, 60, 480),
      pauses: [],
      firstResponse: { dueAt: minute(tuesday + 9 * H + 30 * M), warnAt: minute(tuesday + 9 * H + 6 * M), status: 'running', metAt: null },
      resolution: { dueAt: minute(tuesday + 15 * H + 30 * M), status: 'running' },
      nextResponse: null,
      nextAlertAt: minute(tuesday + 9 * H + 6 * M),
    });

    // Nothing due yet: the sweep raises nothing.
    await setClock(tuesday + 9 * H + 5 * M);
    await sweep();
    expect(await slaEvents('crm.case.sla-warning.v1', caseId)).toEqual([]);

    // The warning: once, however often the sweep runs; mailed to the assignee's manager (the policy names nobody).
    await setClock(tuesday + 9 * H + 6 * M + 30_000);
    await sweep();
    await sweep();
    expect(await slaEvents('crm.case.sla-warning.v1', caseId)).toEqual([expect.objectContaining({ target: 'firstResponse', dueAt: minute(tuesday + 9 * H + 30 * M), policyId: 'default', assigneeId: agentId })]);
    let mails = await mailsTo(leadEmail);
    expect(mails.map((m) => m.subject)).toEqual([`SLA warning: first response due soon [case ${caseId}]`]);

    // The breach: once too.
    await setClock(tuesday + 9 * H + 31 * M);
    await sweep();
    await sweep();
    expect(await slaEvents('crm.case.sla-breached.v1', caseId)).toEqual([expect.objectContaining({ target: 'firstResponse', dueAt: minute(tuesday + 9 * H + 30 * M) })]);
    expect(await slaEvents('crm.case.sla-warning.v1', caseId)).toHaveLength(1);
    mails = await mailsTo(leadEmail);
    expect(mails.map((m) => m.subject)).toEqual([`SLA warning: first response due soon [case ${caseId}]`, `SLA breached: first response breached [case ${caseId}]`]);

    // Both are on the customer's timeline, in the 360 view with the case's other entries.
    const view = await call<{ latestActivities: { type: string; subject: string }[] }>('GET', `/customers/${opened.body.customerId}/360`, { token: admin });
    expect(view.body.latestActivities.filter((a) => a.subject.startsWith('SLA ')).map((a) => a.subject).sort()).toEqual([
      `SLA breached: first response was due ${iso(tuesday + 9 * H + 30 * M).slice(0, 16)}`,
      `SLA warning: first response due ${iso(tuesday + 9 * H + 30 * M).slice(0, 16)}`,
    ].sort().map((subject) => expect.stringContaining(subject)));

    const read = await call<Case>('GET', `/cases/${caseId}`, { token: agent });
    expect(read.body.sla!.firstResponse).toMatchObject({ status: 'breached', warnedAt: minute(tuesday + 9 * H + 6 * M), breachedAt: minute(tuesday + 9 * H + 31 * M) });
    expect(read.body.sla!.nextAlertAt).toBe(read.body.sla!.resolution.warnAt);
    const listed = await call<{ items: Case[] }>('GET', '/cases?assignee=me', { token: agent });
    expect(listed.body.items.find((c) => c.id === caseId)!.sla!.firstResponse.status).toBe('breached');

    // The reply at 09:40 UTC stamps the first response (late) and the case waits for the customer: the clock stops.
    await setClock(tuesday + 9 * H + 40 * M);
    const replied = await call<{ case: Case }>('POST', `/cases/${caseId}/messages`, { token: agent, body: { text: 'We are on it.' } });
    expect(replied.status).toBe(201);
    expect(replied.body.case.sla).toMatchObject({
      firstResponse: { metAt: minute(tuesday + 9 * H + 40 * M), status: 'breached' },
      pauses: [{ from: minute(tuesday + 9 * H + 40 * M), to: null }],
      resolution: { dueAt: null, status: 'paused' },
      nextAlertAt: null,
    });
    // A day later the sweep still raises nothing for it.
    await setClock(wednesday + 9 * H);
    await sweep();
    expect(await slaEvents('crm.case.sla-breached.v1', caseId)).toHaveLength(1);

    // Back to open on Wednesday 10:00 UTC (11:00 CET): 30 + 100 minutes used, 350 left -> 15:50 UTC.
    await setClock(wednesday + 10 * H);
    const reopened = await call<Case>('PATCH', `/cases/${caseId}`, { token: agent, body: { status: 'open' }, headers: { 'if-match': `"${replied.body.case.version}"` } });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body.sla).toMatchObject({
      pauses: [{ from: minute(tuesday + 9 * H + 40 * M), to: minute(wednesday + 10 * H) }],
      resolution: { dueAt: minute(wednesday + 15 * H + 50 * M), status: 'running' },
    });

    // Urgent now: resolution 240 from the opening, 130 used, 110 left -> 11:50 UTC; recomputed on the patch.
    const urgent = await call<Case>('PATCH', `/cases/${caseId}`, { token: agent, body: { priority: 'urgent' }, headers: { 'if-match': `"${reopened.body.version}"` } });
    expect(urgent.body.sla).toMatchObject({ targets: targets(30, 30, 240), resolution: { dueAt: minute(wednesday + 11 * H + 50 * M) } });
  });

  it('gives a case the policy of its category, else default, else none', async () => {
    const { admin, agent } = await staff();
    const none = await call<Case>('POST', '/cases', { token: agent, body: { email: uniqueEmail('cust'), subject: 'Hello', description: 'Hi.' } });
    expect(none.body.sla).toBeNull();
    expect((await call('PUT', '/sla-policies/billing', { token: admin, body: policyBody([], { categories: ['billing'] }) })).status).toBe(201);
    // The case write reads the policies afresh once its container's copy is 30 seconds old.
    await call('POST', '/_local/clock', { body: { advance: 'PT31S' } });
    const billing = await call<Case>('POST', '/cases', { token: agent, body: { email: uniqueEmail('cust'), subject: 'Invoice', description: 'Wrong.', category: 'billing' } });
    expect(billing.body.sla?.policyId).toBe('billing');
    const general = await call<Case>('POST', '/cases', { token: agent, body: { email: uniqueEmail('cust'), subject: 'Hello', description: 'Hi.' } });
    expect(general.body.sla).toBeNull();

    // A gold customer's normal case: the level's override (first response 30) over the priority's 120.
    const gold = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Gold GmbH', emails: [uniqueEmail('gold')], level: 'gold' } });
    expect(gold.status, JSON.stringify(gold.body)).toBe(201);
    const goldCase = await call<Case>('POST', '/cases', { token: agent, body: { customerId: gold.body.id, subject: 'Invoice', description: 'Wrong.', category: 'billing' } });
    expect(goldCase.body.sla).toMatchObject({ policyId: 'billing', level: 'gold', targets: targets(30, 60, 480) });

    // A gold customer's general case opened before any default policy gets one at its next write, its clocks starting then.
    const early = await call<Case>('POST', '/cases', { token: agent, body: { customerId: gold.body.id, subject: 'Hello', description: 'Hi.' } });
    expect(early.body.sla).toBeNull();
    expect((await call('PUT', '/sla-policies/default', { token: admin, body: policyBody([]) })).status).toBe(201);
    const patchedAt = (await call<{ now: string }>('POST', '/_local/clock', { body: { advance: 'PT31S' } })).body.now;
    const later = await call<Case>('PATCH', `/cases/${early.body.id}`, { token: agent, body: { priority: 'high' }, headers: { 'if-match': '"1"' } });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.sla).toMatchObject({ policyId: 'default', level: 'gold', targets: targets(60, 60, 480), firstResponse: { startedAt: expect.stringMatching(new RegExp(`^${patchedAt.slice(0, 16)}`)) } });
  });
});
