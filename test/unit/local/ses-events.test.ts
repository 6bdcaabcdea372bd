import { SendBulkEmailCommand, SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SesCall, SesMessageLog, summarizeSesCalls } from '../../../local/ses-events';
import { SesStandIn } from '../../../local/ses-stand-in';

let standIn: SesStandIn;
let proxy: SesMessageLog;

beforeAll(async () => {
  standIn = await SesStandIn.start(0);
  proxy = await SesMessageLog.start(standIn.url, () => new Date('2026-11-23T12:00:00.000Z'));
});
afterAll(async () => {
  await proxy.stop();
  await standIn.stop();
});
beforeEach(() => {
  proxy.resetCalls();
  proxy.throttleNext(0);
});

const client = (maxAttempts?: number) =>
  new SESv2Client({ endpoint: proxy.url, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, ...(maxAttempts ? { maxAttempts } : {}) });
const sendOne = (to: string) =>
  new SendEmailCommand({ FromEmailAddress: 'crm@example.com', Destination: { ToAddresses: [to] }, Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } } });
const sendBulk = (to: string[]) =>
  new SendBulkEmailCommand({
    FromEmailAddress: 'crm@example.com',
    DefaultContent: { Template: { TemplateContent: { Subject: 'Hi', Text: 'Hello' }, TemplateData: '{}' } },
    DefaultEmailTags: [{ Name: 'tenant', Value: 't-1' }],
    BulkEmailEntries: to.map((address, i) => ({ Destination: { ToAddresses: [address] }, ReplacementTags: [{ Name: 'customer', Value: `c-${i}` }] })),
  });
const mailTo = async (address: string) => (await standIn.emails()).filter((m) => m.to.includes(address));

describe('SES stand-in proxy: throttling', () => {
  it('refuses the next N sends as SES does, so the SDK throws TooManyRequestsException, and stores nothing of them', async () => {
    proxy.throttleNext(2);
    const ses = client(1);
    const error = await ses.send(sendOne('throttled-1@example.com')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    await expect(ses.send(sendBulk(['throttled-2@example.com']))).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    expect(proxy.throttled).toBe(0);

    const sent = await ses.send(sendOne('after-throttle@example.com'));
    expect(sent.MessageId).toBeTruthy();
    expect(await mailTo('throttled-1@example.com')).toEqual([]);
    expect(await mailTo('throttled-2@example.com')).toEqual([]);
    expect(await mailTo('after-throttle@example.com')).toHaveLength(1);
    expect(proxy.calls().calls.map((c) => [c.operation, c.outcome, c.status])).toEqual([
      ['SendEmail', 'throttled', 429],
      ['SendBulkEmail', 'throttled', 429],
      ['SendEmail', 'accepted', 200],
    ]);
  });

  it('counts HTTP attempts: the SDK retries a throttled call by default, so one throttle is absorbed', async () => {
    proxy.throttleNext(1);
    expect((await client().send(sendOne('retried@example.com'))).MessageId).toBeTruthy();
    expect(proxy.calls().summary).toMatchObject({ throttled: 1, sendEmail: 1 });
  });
});

describe('SES stand-in proxy: call log', () => {
  it('logs every send with its wall-clock arrival and the recipients SES accepted', async () => {
    const before = Date.now();
    const ses = client(1);
    await ses.send(sendBulk(['a@example.com', 'b@example.com', 'not-an-address']));
    await ses.send(sendOne('c@example.com'));
    await ses.send(sendOne('a@example.com'));
    const { calls, summary, dropped, addresses } = proxy.calls();
    expect(calls).toEqual([
      { operation: 'SendBulkEmail', at: expect.any(Number), outcome: 'accepted', status: 200, destinations: 3, recipients: 2 },
      { operation: 'SendEmail', at: expect.any(Number), outcome: 'accepted', status: 200, destinations: 1, recipients: 1 },
      { operation: 'SendEmail', at: expect.any(Number), outcome: 'accepted', status: 200, destinations: 1, recipients: 1 },
    ]);
    // a@ twice; the refused bulk entry reached nobody.
    expect(addresses).toEqual({ distinct: 3, mailedMoreThanOnce: 1 });
    // Real time, not the clock the proxy was given (2026-11-23) for the messages' timestamps.
    expect(calls[0]!.at).toBeGreaterThanOrEqual(before);
    expect(calls[1]!.at).toBeLessThanOrEqual(Date.now());
    expect(summary).toMatchObject({ sendEmail: 2, sendBulkEmail: 1, throttled: 0, failed: 0, recipients: 4 });
    expect(dropped).toBe(0);
    // The failed bulk entry has no message to report events for; the accepted ones keep their tags.
    const [bulk] = await Promise.all([standIn.emails()]);
    const a = bulk.find((m) => m.to.includes('a@example.com'))!;
    expect(proxy.get(a.messageId)?.tags).toEqual({ tenant: 't-1', customer: 'c-0' });

    proxy.resetCalls();
    expect(proxy.calls()).toMatchObject({ calls: [], summary: { recipients: 0, maxRecipientsPerSecond: 0, recipientsPerSecond: [] }, addresses: { distinct: 0, mailedMoreThanOnce: 0 } });
  });

  it('logs a call the stand-in refused as failed', async () => {
    const error = await client(1)
      .send(new SendEmailCommand({ FromEmailAddress: 'crm@example.com', Destination: { ToAddresses: ['x@example.com'] }, Content: { Simple: { Subject: { Data: 'no body' }, Body: {} } } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(proxy.calls().calls).toEqual([expect.objectContaining({ operation: 'SendEmail', outcome: 'failed', status: 400, recipients: 0 })]);
  });

  it('summarizes recipients per arrival second and the busiest second', () => {
    const call = (at: number, recipients: number, outcome: SesCall['outcome'] = 'accepted', operation: SesCall['operation'] = 'SendBulkEmail'): SesCall => ({ operation, at, outcome, status: 200, destinations: recipients, recipients });
    const summary = summarizeSesCalls([
      call(1_000_999, 50),
      call(1_001_000, 20),
      call(1_001_500, 30, 'accepted', 'SendEmail'),
      call(1_001_600, 0, 'throttled'),
      call(1_003_100, 0, 'failed'),
      call(1_003_200, 14),
    ]);
    expect(summary).toEqual({
      sendEmail: 1,
      sendBulkEmail: 3,
      throttled: 1,
      failed: 1,
      recipients: 114,
      maxRecipientsPerSecond: 50,
      recipientsPerSecond: [
        { second: 1000, recipients: 50 },
        { second: 1001, recipients: 50 },
        { second: 1003, recipients: 14 },
      ],
    });
  });
});
