import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SES_DETAIL_TYPES, SES_EVENT_SOURCE, type SesEventKind } from '../events/ses/ses-email-event';
import type { PutEventsEntry } from './event-bus';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './template-resolver';

/** What SES knows about a message it accepted, as its events report it in `mail`. */
export interface SentMessage {
  messageId: string;
  from: string;
  destination: string[];
  configurationSet?: string;
  tags: Record<string, string>;
  at: string;
}

type Tag = { Name: string; Value: string };
type Destination = { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };

export type SendOperation = 'SendEmail' | 'SendBulkEmail';

/** One SendEmail / SendBulkEmail call as the SES stand-in saw it (`GET /_local/ses/calls`). */
export interface SesCall {
  operation: SendOperation;
  /** Wall-clock arrival (ms since the epoch), not the controllable clock: rates are real time. */
  at: number;
  /** `accepted`: the stand-in answered 2xx; `throttled`: refused by `POST /_local/ses/throttle`; `failed`: the stand-in refused it. */
  outcome: 'accepted' | 'throttled' | 'failed';
  status: number;
  /** Destinations asked for: 1 for SendEmail, the entries of SendBulkEmail. */
  destinations: number;
  /** Addresses of the destinations SES accepted (status SUCCESS): what SES's send rate counts. */
  recipients: number;
}

export interface SesCallSummary {
  /** Calls the stand-in accepted, per operation; throttled and failed calls are counted apart. */
  sendEmail: number;
  sendBulkEmail: number;
  throttled: number;
  failed: number;
  recipients: number;
  maxRecipientsPerSecond: number;
  /** Per wall-clock second (epoch seconds) of arrival, the seconds with any recipient, in order. */
  recipientsPerSecond: { second: number; recipients: number }[];
}

/** Calls kept for `GET /_local/ses/calls`: a 10,000-recipient campaign makes 200; a long session stays bounded. */
export const MAX_SES_CALLS = 50_000;
/** Addresses counted for the duplicate check: a 100,000-recipient campaign fits, a long session stays bounded. */
const MAX_COUNTED_ADDRESSES = 1_000_000;

const OPERATION_OF_PATH: [string, SendOperation][] = [
  ['/v2/email/outbound-emails', 'SendEmail'],
  ['/v2/email/outbound-bulk-emails', 'SendBulkEmail'],
];

const sendOperation = (method: string | undefined, path: string | undefined): SendOperation | undefined =>
  method === 'POST' ? OPERATION_OF_PATH.find(([prefix]) => (path ?? '').split('?')[0] === prefix)?.[1] : undefined;

/**
 * What SES v2 answers when a call exceeds the account's sending rate: HTTP 429 with the error
 * type in `x-amzn-ErrorType`, which the SDK's restJson1 deserializer reads first, so SESv2Client
 * throws `TooManyRequestsException`.
 */
const THROTTLED = {
  status: 429,
  headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
  body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
};

/**
 * A transparent proxy in front of the SES stand-in (the handlers' AWS_ENDPOINT_URL_SESV2). It
 * remembers, per message id, the message tags and configuration set of each SendEmail /
 * SendBulkEmail (aws-ses-v2-local drops both); SES returns them on every event of the message, so
 * `POST /_local/ses-events` needs them to build an event shaped like the real one. It also logs
 * every send call with its wall-clock arrival (benchmarks read the send rate SES saw), and can
 * refuse the next calls as SES throttling does (tests of the senders' backoff).
 */
export class SesMessageLog {
  private readonly messages = new Map<string, SentMessage>();
  private sendCalls: SesCall[] = [];
  private droppedCalls = 0;
  private throttleRemaining = 0;
  /** Accepted sends per destination address since the last reset: a benchmark's duplicate check. */
  private mailsPerAddress = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string, now: () => Date): Promise<SesMessageLog> {
    const upstream = new URL(target);
    const server = createServer(async (req, res) => {
      const arrivedAt = Date.now();
      const operation = sendOperation(req.method, req.url);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (operation && log.takeThrottle()) {
        // Refused before the stand-in sees it: nothing is stored, as SES sends nothing of a throttled call.
        log.logCall({ operation, at: arrivedAt, outcome: 'throttled', status: THROTTLED.status, destinations: destinationCount(operation, body), recipients: 0 });
        res.writeHead(THROTTLED.status, { ...THROTTLED.headers, 'x-amzn-requestid': `local-throttled-${arrivedAt}` }).end(THROTTLED.body);
        return;
      }
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, async (upstreamRes) => {
        const out: Buffer[] = [];
        for await (const chunk of upstreamRes) out.push(chunk as Buffer);
        const payload = Buffer.concat(out);
        const status = upstreamRes.statusCode ?? 500;
        if (operation) log.logCall({ operation, at: arrivedAt, status, ...log.remember(operation, status, body, payload, now()) });
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers).end(payload);
      });
      forward.on('error', (error) => res.writeHead(502).end(String(error)));
      forward.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Requests (and so the handler's use of `log`) only come once the server is listening.
    const log = new SesMessageLog(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return log;
  }

  get(messageId: string): SentMessage | undefined {
    return this.messages.get(messageId);
  }

  /**
   * The logged send calls, oldest first, and how many older ones were dropped to stay bounded;
   * `addresses`: how many distinct addresses the accepted sends reached and how many of them more
   * than once (counted up to MAX_COUNTED_ADDRESSES since the last reset).
   */
  calls(): { calls: SesCall[]; dropped: number; summary: SesCallSummary; addresses: { distinct: number; mailedMoreThanOnce: number } } {
    let mailedMoreThanOnce = 0;
    for (const count of this.mailsPerAddress.values()) if (count > 1) mailedMoreThanOnce++;
    return { calls: [...this.sendCalls], dropped: this.droppedCalls, summary: summarizeSesCalls(this.sendCalls), addresses: { distinct: this.mailsPerAddress.size, mailedMoreThanOnce } };
  }

  resetCalls(): void {
    this.sendCalls = [];
    this.droppedCalls = 0;
    this.mailsPerAddress = new Map();
  }

  /** The next `count` send calls answer 429 TooManyRequestsException (replaces what was left). */
  throttleNext(count: number): number {
    this.throttleRemaining = count;
    return count;
  }

  get throttled(): number {
    return this.throttleRemaining;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private takeThrottle(): boolean {
    if (this.throttleRemaining <= 0) return false;
    this.throttleRemaining--;
    return true;
  }

  private logCall(call: SesCall): void {
    this.sendCalls.push(call);
    if (this.sendCalls.length > MAX_SES_CALLS) {
      this.droppedCalls += this.sendCalls.length - MAX_SES_CALLS;
      this.sendCalls.splice(0, this.sendCalls.length - MAX_SES_CALLS);
    }
  }

  /** Remembers the accepted messages; answers the call's outcome and counts for the log. */
  private remember(operation: SendOperation, status: number, requestBody: Buffer, responseBody: Buffer, at: Date): Pick<SesCall, 'outcome' | 'destinations' | 'recipients'> {
    const destinations = destinationCount(operation, requestBody);
    if (status >= 300) return { outcome: 'failed', destinations, recipients: 0 };
    let recipients = 0;
    try {
      const input = JSON.parse(requestBody.toString('utf8') || '{}') as Record<string, unknown>;
      const output = JSON.parse(responseBody.toString('utf8') || '{}') as Record<string, unknown>;
      const base = { from: String(input.FromEmailAddress ?? ''), configurationSet: input.ConfigurationSetName as string | undefined, at: at.toISOString() };
      if (operation === 'SendEmail') {
        const destination = input.Destination as Destination | undefined;
        recipients = addressCount(destination);
        this.add({ ...base, messageId: String(output.MessageId), destination: destination?.ToAddresses ?? [], tags: tagMap(input.EmailTags as Tag[] | undefined) });
      } else {
        const entries = (input.BulkEmailEntries as { Destination?: Destination; ReplacementTags?: Tag[] }[] | undefined) ?? [];
        const results = (output.BulkEmailEntryResults as { MessageId?: string; Status?: string }[] | undefined) ?? [];
        results.forEach((result, i) => {
          // SES gives a failed entry no message: it has no events to report.
          if (!result.MessageId || result.Status !== 'SUCCESS') return;
          recipients += addressCount(entries[i]?.Destination);
          const tags = { ...tagMap(input.DefaultEmailTags as Tag[] | undefined), ...tagMap(entries[i]?.ReplacementTags) };
          this.add({ ...base, messageId: result.MessageId, destination: entries[i]?.Destination?.ToAddresses ?? [], tags });
        });
      }
    } catch {
      // Not a send we can read: the stand-in's own answer went back unchanged; nothing to remember.
    }
    return { outcome: 'accepted', destinations, recipients };
  }

  private add(message: SentMessage): void {
    for (const address of message.destination) {
      const seen = this.mailsPerAddress.get(address);
      if (seen !== undefined || this.mailsPerAddress.size < MAX_COUNTED_ADDRESSES) this.mailsPerAddress.set(address, (seen ?? 0) + 1);
    }
    this.messages.set(message.messageId, message);
    // Keep memory bounded like /_local/events.
    if (this.messages.size > 10_000) this.messages.delete(this.messages.keys().next().value!);
  }
}

/** Counts over logged calls; per-second buckets by arrival, so a benchmark sees the rate SES saw. */
export function summarizeSesCalls(calls: readonly SesCall[]): SesCallSummary {
  const perSecond = new Map<number, number>();
  const summary: SesCallSummary = { sendEmail: 0, sendBulkEmail: 0, throttled: 0, failed: 0, recipients: 0, maxRecipientsPerSecond: 0, recipientsPerSecond: [] };
  for (const call of calls) {
    if (call.outcome === 'throttled') summary.throttled++;
    else if (call.outcome === 'failed') summary.failed++;
    else if (call.operation === 'SendEmail') summary.sendEmail++;
    else summary.sendBulkEmail++;
    if (call.recipients === 0) continue;
    summary.recipients += call.recipients;
    const second = Math.floor(call.at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + call.recipients);
  }
  summary.recipientsPerSecond = [...perSecond].sort(([a], [b]) => a - b).map(([second, recipients]) => ({ second, recipients }));
  summary.maxRecipientsPerSecond = Math.max(0, ...perSecond.values());
  return summary;
}

function destinationCount(operation: SendOperation, body: Buffer): number {
  if (operation === 'SendEmail') return 1;
  try {
    const entries = (JSON.parse(body.toString('utf8') || '{}') as { BulkEmailEntries?: unknown[] }).BulkEmailEntries;
    return Array.isArray(entries) ? entries.length : 0;
  } catch {
    return 0;
  }
}

const addressCount = (d: Destination | undefined) => (d?.ToAddresses?.length ?? 0) + (d?.CcAddresses?.length ?? 0) + (d?.BccAddresses?.length ?? 0);

const tagMap = (tags: Tag[] | undefined) => Object.fromEntries((tags ?? []).map((t) => [t.Name, t.Value]));

export interface SesEventRequest {
  type: SesEventKind;
  bounceType?: 'Permanent' | 'Transient' | 'Undetermined';
}

/**
 * The PutEvents entry SES itself would put on the default bus for this message (the fields of
 * docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html), including
 * the `ses:*` tags SES adds, which the rule's pattern filters on.
 */
export function sesEventEntry(message: SentMessage, request: SesEventRequest, now: Date): PutEventsEntry {
  const timestamp = now.toISOString();
  const recipients = message.destination;
  const tags: Record<string, string[]> = {
    ...(message.configurationSet ? { 'ses:configuration-set': [message.configurationSet] } : {}),
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [message.from.slice(message.from.lastIndexOf('@') + 1)],
    'ses:caller-identity': ['local'],
    ...Object.fromEntries(Object.entries(message.tags).map(([k, v]) => [k, [v]])),
  };
  const mail = { timestamp: message.at, source: message.from, sendingAccountId: LOCAL_ACCOUNT, messageId: message.messageId, destination: recipients, headersTruncated: false, headers: [], commonHeaders: { from: [message.from], to: recipients }, tags };
  const bounceType = request.bounceType ?? 'Permanent';
  const details: Record<SesEventKind, [string, Record<string, unknown>]> = {
    delivery: ['Delivery', { delivery: { timestamp, processingTimeMillis: 500, recipients, smtpResponse: '250 2.6.0 Message received', reportingMTA: 'local' } }],
    bounce: [
      'Bounce',
      {
        bounce: {
          feedbackId: `local-${message.messageId}`,
          bounceType,
          bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
          bouncedRecipients: recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: bounceType === 'Permanent' ? '5.1.1' : '4.2.2', diagnosticCode: 'smtp; local' })),
          timestamp,
          reportingMTA: 'dns; local',
        },
      },
    ],
    complaint: ['Complaint', { complaint: { feedbackId: `local-${message.messageId}`, complaintSubType: null, complainedRecipients: recipients.map((emailAddress) => ({ emailAddress })), timestamp, userAgent: 'local', complaintFeedbackType: 'abuse', arrivalDate: timestamp } }],
    open: ['Open', { open: { timestamp, userAgent: 'local', ipAddress: '127.0.0.1' } }],
    click: ['Click', { click: { timestamp, userAgent: 'local', ipAddress: '127.0.0.1', link: 'https://example.com/', linkTags: {} } }],
  };
  const [eventType, detail] = details[request.type];
  return {
    Source: SES_EVENT_SOURCE,
    DetailType: SES_DETAIL_TYPES[request.type],
    EventBusName: 'default',
    Resources: message.configurationSet ? [`arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:configuration-set/${message.configurationSet}`] : [],
    Detail: JSON.stringify({ eventType, mail, ...detail }),
  };
}
