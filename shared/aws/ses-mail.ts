import { SendBulkEmailCommand, SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { type MessageTags, sesTags } from './ses-tags';

/** An extra header, e.g. RFC 8058's List-Unsubscribe and List-Unsubscribe-Post. */
export interface MailHeader {
  name: string;
  value: string;
}

/** Values for a stored template's placeholders (sent to SES as JSON). */
export type TemplateValues = Readonly<Record<string, unknown>>;

/** A mail written by the CRM itself (subject and bodies in hand). */
export interface SimpleMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  tags: MessageTags;
  /** Extra headers (a case reply names its case, so the answer can be threaded back). */
  headers?: readonly MailHeader[];
}

/** A mail from a stored SES template. */
export interface TemplatedMail {
  to: string;
  templateName: string;
  data: TemplateValues;
  headers: readonly MailHeader[];
  tags: MessageTags;
}

/** One recipient of a bulk send: its own template data, headers and tags. */
export interface BulkEntry {
  to: string;
  data: TemplateValues;
  headers: readonly MailHeader[];
  tags: MessageTags;
}

/** One SendBulkEmail of at most 50 entries from a stored template; `tags` are every entry's, and SES merges each entry's own with them. */
export interface BulkMail {
  templateName: string;
  tags: MessageTags;
  entries: readonly BulkEntry[];
}

export type BulkResult = { status: 'sent'; messageId: string } | { status: 'failed'; error: string };

/** SES refused the whole call for the rate or quota: nothing of it was sent, so it may be sent again. */
export class SesThrottled extends Error {
  constructor(cause: string) {
    super(`SES throttled the send: ${cause}`);
    this.name = 'SesThrottled';
  }
}

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'SendingPausedException']);

/**
 * The CRM's one way to send mail through SES v2: simple (SendEmail with subject and bodies),
 * templated (SendEmail with a stored template) and bulk (SendBulkEmail). Every mail goes from the
 * stage's address through its configuration set, whose events come back to the CRM, and carries
 * its message tags.
 */
export class SesMail {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string | undefined,
  ) {}

  async sendSimple(mail: SimpleMail): Promise<{ messageId: string }> {
    const utf8 = (Data: string) => ({ Data, Charset: 'UTF-8' });
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Simple: { Subject: utf8(mail.subject), Body: { Text: utf8(mail.text), Html: utf8(mail.html) }, ...(mail.headers?.length ? { Headers: sesHeaders(mail.headers) } : {}) } },
        ConfigurationSetName: this.configurationSet,
        EmailTags: sesTags(mail.tags),
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }

  async sendTemplated(mail: TemplatedMail): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        Content: { Template: { TemplateName: mail.templateName, TemplateData: JSON.stringify(mail.data), Headers: sesHeaders(mail.headers) } },
        ConfigurationSetName: this.configurationSet,
        EmailTags: sesTags(mail.tags),
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }

  /**
   * A result per entry, in order. Throws SesThrottled when SES refused the call for the rate or
   * quota (nothing was sent); any other error as SES gave it.
   */
  async sendBulk(mail: BulkMail): Promise<BulkResult[]> {
    let output;
    try {
      output = await this.client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: this.from,
          ConfigurationSetName: this.configurationSet,
          DefaultEmailTags: sesTags(mail.tags),
          DefaultContent: { Template: { TemplateName: mail.templateName, TemplateData: '{}' } },
          BulkEmailEntries: mail.entries.map((e) => ({
            Destination: { ToAddresses: [e.to] },
            ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(e.data) } },
            ReplacementHeaders: sesHeaders(e.headers),
            ReplacementTags: sesTags(e.tags),
          })),
        }),
      );
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      const throttledBy = e.name && THROTTLING.has(e.name) ? e.name : e.$metadata?.httpStatusCode === 429 ? 'HTTP 429' : undefined;
      if (throttledBy) throw new SesThrottled(throttledBy);
      throw error;
    }
    const results = output.BulkEmailEntryResults ?? [];
    return mail.entries.map((_, i) => {
      const r = results[i];
      return r?.Status === 'SUCCESS' && r.MessageId ? { status: 'sent', messageId: r.MessageId } : { status: 'failed', error: r?.Error ?? r?.Status ?? 'no result' };
    });
  }
}

const sesHeaders = (headers: readonly MailHeader[]) => headers.map((h) => ({ Name: h.name, Value: h.value }));
