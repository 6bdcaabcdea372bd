import { SendBulkEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { TemplateData } from '../templates/template-placeholders';

type Tag = { Name: string; Value: string };

export interface BulkEntry {
  to: string;
  data: TemplateData;
  headers: { name: string; value: string }[];
  tags: Tag[];
}

export type BulkResult = { status: 'sent'; messageId: string } | { status: 'failed'; error: string };

/** SES refused the whole call for the rate or quota: nothing of it was sent, so it may be sent again. */
export class SesThrottled extends Error {
  constructor(cause: string) {
    super(`SES throttled the send: ${cause}`);
    this.name = 'SesThrottled';
  }
}

export interface BulkMailer {
  /** One SendBulkEmail of at most 50 entries; a result per entry, in order. */
  send(templateName: string, defaultTags: Tag[], entries: readonly BulkEntry[]): Promise<BulkResult[]>;
}

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException', 'SendingPausedException']);

/** SendBulkEmail with a stored template: per-recipient data, one-click headers and message tags. */
export class SesBulkMailer implements BulkMailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string | undefined,
  ) {}

  async send(templateName: string, defaultTags: Tag[], entries: readonly BulkEntry[]): Promise<BulkResult[]> {
    let output;
    try {
      output = await this.client.send(
        new SendBulkEmailCommand({
          FromEmailAddress: this.from,
          ConfigurationSetName: this.configurationSet,
          DefaultEmailTags: defaultTags,
          DefaultContent: { Template: { TemplateName: templateName, TemplateData: '{}' } },
          BulkEmailEntries: entries.map((e) => ({
            Destination: { ToAddresses: [e.to] },
            ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(e.data) } },
            ReplacementHeaders: e.headers.map((h) => ({ Name: h.name, Value: h.value })),
            ReplacementTags: e.tags,
          })),
        }),
      );
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429) throw new SesThrottled(e.name ?? 'HTTP 429');
      throw error;
    }
    const results = output.BulkEmailEntryResults ?? [];
    return entries.map((_, i) => {
      const r = results[i];
      return r?.Status === 'SUCCESS' && r.MessageId ? { status: 'sent', messageId: r.MessageId } : { status: 'failed', error: r?.Error ?? r?.Status ?? 'no result' };
    });
  }
}
