import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SES_DETAIL_TYPES, SES_EVENT_SOURCE, type SesEventKind } from '../events/ses-email-event';
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

/**
 * A transparent proxy in front of the SES stand-in that remembers, per message id, the message
 * tags and configuration set of each SendEmail / SendBulkEmail (aws-ses-v2-local drops both). SES
 * returns them on every event of the message, so `POST /_local/ses-events` needs them to build an
 * event shaped like the real one.
 */
export class SesMessageLog {
  private readonly messages = new Map<string, SentMessage>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string, now: () => Date): Promise<SesMessageLog> {
    const upstream = new URL(target);
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, async (upstreamRes) => {
        const out: Buffer[] = [];
        for await (const chunk of upstreamRes) out.push(chunk as Buffer);
        const payload = Buffer.concat(out);
        if (req.method === 'POST' && (upstreamRes.statusCode ?? 500) < 300) log.remember(req.url ?? '', body, payload, now());
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

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private remember(path: string, requestBody: Buffer, responseBody: Buffer, at: Date): void {
    try {
      const input = JSON.parse(requestBody.toString('utf8') || '{}') as Record<string, unknown>;
      const output = JSON.parse(responseBody.toString('utf8') || '{}') as Record<string, unknown>;
      const base = { from: String(input.FromEmailAddress ?? ''), configurationSet: input.ConfigurationSetName as string | undefined, at: at.toISOString() };
      if (path.startsWith('/v2/email/outbound-emails')) {
        const destination = (input.Destination as { ToAddresses?: string[] } | undefined)?.ToAddresses ?? [];
        this.add({ ...base, messageId: String(output.MessageId), destination, tags: tagMap(input.EmailTags as Tag[] | undefined) });
      } else if (path.startsWith('/v2/email/outbound-bulk-emails')) {
        const entries = (input.BulkEmailEntries as { Destination?: { ToAddresses?: string[] }; ReplacementTags?: Tag[] }[] | undefined) ?? [];
        const results = (output.BulkEmailEntryResults as { MessageId?: string }[] | undefined) ?? [];
        results.forEach((result, i) => {
          if (!result.MessageId) return;
          const tags = { ...tagMap(input.DefaultEmailTags as Tag[] | undefined), ...tagMap(entries[i]?.ReplacementTags) };
          this.add({ ...base, messageId: result.MessageId, destination: entries[i]?.Destination?.ToAddresses ?? [], tags });
        });
      }
    } catch {
      // Not a send we can read: the stand-in's own answer went back unchanged; nothing to remember.
    }
  }

  private add(message: SentMessage): void {
    this.messages.set(message.messageId, message);
    // Keep memory bounded like /_local/events.
    if (this.messages.size > 10_000) this.messages.delete(this.messages.keys().next().value!);
  }
}

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
