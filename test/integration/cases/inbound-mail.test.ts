import { describe, expect, it } from 'vitest';
import { call, newTenant, settle, tokenFor, uniqueEmail } from '../client';

/** Mail to cases through SES receiving as the local runtime plays it: receipt rule, S3 stand-in, the handler (docs/service.md, "Inbound mail"). */

interface Outcome {
  outcome: string;
  reason?: string;
  caseId?: string;
  messageId?: string;
  reopened?: boolean;
  relatedCaseId?: string | null;
  customerCreated?: boolean;
  kind?: string;
}
interface Delivery {
  status: string;
  sesMessageId: string;
  result: { outcomes: Outcome[] };
}
interface Case {
  id: string;
  customerId: string;
  email: string | null;
  subject: string;
  status: string;
  channel: string;
  messageCount: number;
  relatedCaseId: string | null;
  version: number;
  updatedBy: string;
  messages: { id: string; kind: string; text: string; authorId: string | null; messageId: string | null; mail: { from: string; kind: string; attachments: { filename: string; size: number }[]; rawObjectKey: string } | null }[];
}

const INBOUND_DOMAIN = 'inbound.example.com';

async function serviceTenant() {
  const tenant = newTenant();
  const admin = await tokenFor(tenant, 'admin-1', ['admin']);
  const agent = await tokenFor(tenant, 'agent-1', ['agent']);
  // A tenant exists for mail once it has a user.
  expect((await call('PUT', '/users/agent-1', { token: admin, body: { email: 'agent-1@example.com', name: 'Ada Agent' } })).status).toBe(201);
  return { tenant, admin, agent, address: `${tenant}@${INBOUND_DOMAIN}` };
}

function mail(o: { from: string; to: string; subject: string; text: string; messageId?: string; inReplyTo?: string; references?: string; headers?: string[]; date?: string }): string {
  return [
    `From: Customer <${o.from}>`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Date: ${o.date ?? 'Mon, 07 Dec 2026 09:00:00 +0000'}`,
    ...(o.messageId ? [`Message-ID: ${o.messageId}`] : []),
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    ...(o.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
  ].join('\r\n');
}

const uniqueId = (label: string) => `<${label}.${Math.random().toString(36).slice(2)}@mail.customer.test>`;

async function deliver(raw: string, recipients?: string[], verdicts?: Record<string, string>): Promise<{ status: number; body: Delivery; outcome: Outcome }> {
  const response = await call<Delivery>('POST', '/_local/inbound-email', { body: { raw, ...(recipients ? { recipients } : {}), ...(verdicts ? { verdicts } : {}) } });
  return { ...response, outcome: response.body.result?.outcomes?.[0] as Outcome };
}

const getCase = async (token: string, id: string) => (await call<Case>('GET', `/cases/${id}`, { token })).body;

describe('inbound mail to cases', () => {
  it('opens a case from an unknown sender once however often the mail is delivered, keeping the raw message', async () => {
    const { agent, address } = await serviceTenant();
    const sender = uniqueEmail('mailer');
    const raw = mail({ from: sender, to: address, subject: 'Re: Fwd: Printer offline', text: 'The printer in room 4 is offline since this morning.', messageId: uniqueId('first') });

    const first = await deliver(raw);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.outcome).toMatchObject({ outcome: 'opened', reason: 'no-reference', customerCreated: true });
    const again = await deliver(raw);
    expect(again.outcome).toMatchObject({ outcome: 'duplicate', caseId: first.outcome.caseId, messageId: first.outcome.messageId });
    const [a, b] = await Promise.all([deliver(raw), deliver(raw)]);
    expect([a.outcome.outcome, b.outcome.outcome]).toEqual(['duplicate', 'duplicate']);

    const opened = await getCase(agent, first.outcome.caseId!);
    expect(opened).toMatchObject({ subject: 'Printer offline', email: sender, channel: 'email', status: 'new', messageCount: 1 });
    expect(opened.messages).toHaveLength(1);
    expect(opened.messages[0]).toMatchObject({ kind: 'inbound', authorId: null, text: 'The printer in room 4 is offline since this morning.', mail: { from: sender, kind: 'human', rawObjectKey: `raw/${first.body.sesMessageId}` } });
    const customer = await call<{ emails: string[]; ownerId: string | null }>('GET', `/customers/${opened.customerId}`, { token: agent });
    expect(customer.body).toMatchObject({ emails: [sender], ownerId: null });
    const queue = await call<{ items: { id: string }[] }>('GET', '/cases?assignee=queue', { token: agent });
    expect(queue.body.items.map((c) => c.id)).toEqual([opened.id]);
  });

  it("threads the customer's answer to an agent's reply back onto the case and reopens it; an out-of-office is kept without reopening", async () => {
    const { agent, address } = await serviceTenant();
    const requester = uniqueEmail('answer');
    const opened = (await deliver(mail({ from: requester, to: address, subject: 'Login broken', text: 'I cannot sign in.', messageId: uniqueId('q') }))).outcome;
    const reply = await call<{ id: string; case: Case }>('POST', `/cases/${opened.caseId}/messages`, { token: agent, body: { text: 'Please try resetting your password.' } });
    expect(reply.body.case.status).toBe('pending-customer');
    await settle();
    const sent = (await call<{ emails: { to: string[]; subject: string; headers: { name: string; value: string }[] }[] }>('GET', '/_local/emails')).body.emails.find((m) => m.to.includes(requester))!;
    const references = sent.headers.find((h) => h.name === 'References')!.value;

    // An auto-reply quoting our reply: on the thread, status unchanged.
    const away = await deliver(mail({ from: requester, to: address, subject: `Automatic reply: ${sent.subject}`, text: 'I am out until Monday.', messageId: uniqueId('ooo'), inReplyTo: references, references, headers: ['Auto-Submitted: auto-replied'] }));
    expect(away.outcome).toMatchObject({ outcome: 'attached', caseId: opened.caseId, kind: 'auto-reply', reopened: false });
    expect((await getCase(agent, opened.caseId!)).status).toBe('pending-customer');

    // The person answers (their client keeps References): same case, open again.
    const answer = await deliver(mail({ from: requester, to: address, subject: `Re: ${sent.subject}`, text: 'That worked, thanks!\n\nOn Mon, Support wrote:\n> Please try resetting your password.', messageId: uniqueId('a'), inReplyTo: references, references }));
    expect(answer.outcome).toMatchObject({ outcome: 'attached', caseId: opened.caseId, reason: 'reference', reopened: true });
    const after = await getCase(agent, opened.caseId!);
    expect(after.status).toBe('open');
    expect(after.messages.map((m) => [m.kind, m.mail?.kind ?? null])).toEqual([['inbound', 'human'], ['outbound', null], ['inbound', 'auto-reply'], ['inbound', 'human']]);
    expect(after.messages[3]!.text).toBe('That worked, thanks!');

    await settle();
    const view = await call<{ latestActivities: { type: string; subject: string }[] }>('GET', `/customers/${after.customerId}/360`, { token: agent });
    expect(view.body.latestActivities.filter((a) => a.type === 'case').map((a) => a.subject)).toEqual(expect.arrayContaining(['The customer wrote on a case', 'Case open (was pending-customer)']));
  });

  it("takes the subject token from the case's requester only; a stranger's mail with it opens a new case", async () => {
    const { agent, address } = await serviceTenant();
    const requester = uniqueEmail('owner');
    const opened = (await deliver(mail({ from: requester, to: address, subject: 'Refund', text: 'Where is my refund?', messageId: uniqueId('r') }))).outcome;
    const token = `[case ${opened.caseId}]`;

    const fromRequester = await deliver(mail({ from: requester, to: address, subject: `Re: Refund ${token}`, text: 'Any news?', messageId: uniqueId('r2') }));
    expect(fromRequester.outcome).toMatchObject({ outcome: 'attached', caseId: opened.caseId, reason: 'token-from-requester' });

    const stranger = await deliver(mail({ from: uniqueEmail('stranger'), to: address, subject: `Re: Refund ${token}`, text: 'Give me the refund instead.', messageId: uniqueId('s') }));
    expect(stranger.outcome).toMatchObject({ outcome: 'opened', reason: 'token-sender-mismatch' });
    expect(stranger.outcome.caseId).not.toBe(opened.caseId);

    // A forged From (DMARC failed) does not get the token either.
    const forged = await deliver(mail({ from: requester, to: address, subject: `Re: ${token}`, text: 'Send it to my new account.', messageId: uniqueId('f') }), undefined, { dmarc: 'FAIL' });
    expect(forged.outcome).toMatchObject({ outcome: 'opened', reason: 'token-sender-unverified' });
    expect((await getCase(agent, opened.caseId!)).messageCount).toBe(2);
  });

  it("never attaches to another tenant's case: a reference to it opens a case in the receiving tenant", async () => {
    const one = await serviceTenant();
    const two = await serviceTenant();
    const sender = uniqueEmail('cross');
    const theirs = (await deliver(mail({ from: sender, to: one.address, subject: 'Mine', text: 'In tenant one.', messageId: uniqueId('x') }))).outcome;
    const crossing = await deliver(mail({ from: sender, to: two.address, subject: `Re: Mine [case ${theirs.caseId}]`, text: 'Sent to tenant two.', messageId: uniqueId('y'), references: `<case.${theirs.caseId}.01JD5X8Q2V3M4N5P6R7S8T9VWX@example.com>` }));
    expect(crossing.outcome).toMatchObject({ outcome: 'opened', reason: 'unknown-case' });
    expect((await getCase(one.agent, theirs.caseId!)).messageCount).toBe(1);
    expect((await call('GET', `/cases/${theirs.caseId}`, { token: two.agent })).status).toBe(404);
  });

  it('drops our own mail looping back, refuses malformed mail and unknown tenants with a reason, and SES rejects other domains', async () => {
    const { agent, address } = await serviceTenant();
    expect((await deliver(mail({ from: 'no-reply@example.com', to: address, subject: 'Re: x', text: 'loop', messageId: uniqueId('loop') }))).outcome).toMatchObject({ outcome: 'dropped', reason: 'loop' });
    expect((await deliver('\u0000\u0001 not a mail at all', [address])).outcome).toMatchObject({ outcome: 'refused', reason: 'malformed' });
    expect((await deliver(mail({ from: uniqueEmail(), to: `t-doesnotexist@${INBOUND_DOMAIN}`, subject: 'Hello', text: 'Anyone?' }))).outcome).toMatchObject({ outcome: 'refused', reason: 'unknown-recipient' });
    expect((await deliver(mail({ from: uniqueEmail(), to: address, subject: 'Out of office: away', text: 'Away.', headers: ['Auto-Submitted: auto-replied'] }))).outcome).toMatchObject({ outcome: 'dropped', reason: 'unthreaded-auto-reply' });
    const elsewhere = await deliver(mail({ from: uniqueEmail(), to: 'someone@elsewhere.test', subject: 'x', text: 'y' }));
    expect(elsewhere.status).toBe(400);
    expect((await call<{ items: unknown[] }>('GET', '/cases?assignee=queue', { token: agent })).body.items).toEqual([]);
  });

  it('keeps attachment metadata and the raw message; a mail without a Message-ID is still one message', async () => {
    const { agent, address } = await serviceTenant();
    const sender = uniqueEmail('files');
    const raw = [
      `From: ${sender}`,
      `To: ${address}`,
      'Subject: Screenshot of the error',
      'Date: Mon, 07 Dec 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the attached screenshot.',
      '--b1',
      'Content-Type: image/png; name="error.png"',
      'Content-Disposition: attachment; filename="error.png"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('not really a png, 28 bytes..').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const first = await deliver(raw);
    expect(first.outcome.outcome).toBe('opened');
    expect((await deliver(raw)).outcome.outcome).toBe('duplicate');
    const opened = await getCase(agent, first.outcome.caseId!);
    expect(opened.messages[0]!.mail?.attachments).toEqual([expect.objectContaining({ filename: 'error.png', size: 28 })]);
  });

  it('an answer to a case resolved within the reopen window reopens it; after the window it opens a new case naming the old one', async () => {
    const { agent, address } = await serviceTenant();
    const requester = uniqueEmail('late');
    const opened = (await deliver(mail({ from: requester, to: address, subject: 'Slow app', text: 'The app is slow.', messageId: uniqueId('l') }))).outcome;
    const token = `[case ${opened.caseId}]`;
    await call('POST', `/cases/${opened.caseId}/resolve`, { token: agent });
    const soon = await deliver(mail({ from: requester, to: address, subject: `Re: ${token}`, text: 'Still slow.', messageId: uniqueId('l2') }));
    expect(soon.outcome).toMatchObject({ outcome: 'attached', reopened: true });
    expect((await getCase(agent, opened.caseId!)).status).toBe('open');

    await call('POST', `/cases/${opened.caseId}/resolve`, { token: agent });
    expect((await call('POST', '/_local/clock', { body: { advance: 'P8D' } })).status).toBe(200);
    const late = await deliver(mail({ from: requester, to: address, subject: `Re: ${token}`, text: 'Slow again.', messageId: uniqueId('l3') }));
    expect(late.outcome).toMatchObject({ outcome: 'opened', reason: 'case-closed', relatedCaseId: opened.caseId });
    expect(await getCase(agent, late.outcome.caseId!)).toMatchObject({ relatedCaseId: opened.caseId, status: 'new' });

    // The sweep closes the old case (its window ended); an answer to it still opens a new case.
    expect((await getCase(agent, opened.caseId!)).status).toBe('resolved');
    expect((await call('POST', '/_local/schedules/sla-alerts/run')).status).toBe(200);
    const closed = await getCase(agent, opened.caseId!);
    expect(closed).toMatchObject({ status: 'closed', updatedBy: 'case-closing' });
    expect((await call('POST', `/cases/${opened.caseId}/messages`, { token: agent, body: { text: 'too late', internal: true } })).status).toBe(409);
    await settle();
    const view = await call<{ latestActivities: { type: string; subject: string }[] }>('GET', `/customers/${closed.customerId}/360`, { token: agent });
    expect(view.body.latestActivities.map((a) => a.subject)).toContain('Case closed (was resolved)');
  });
});
