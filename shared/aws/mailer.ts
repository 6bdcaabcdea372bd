import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** SES message tags: they come back on delivery/bounce/open events, so outcomes can be attributed. */
  tags: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string | undefined,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' }, Html: { Data: email.html, Charset: 'UTF-8' } },
          },
        },
        ConfigurationSetName: this.configurationSet,
        EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: sanitizeTag(Value) })),
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }
}

/** SES tag values allow only ASCII letters, digits, underscore and dash. */
function sanitizeTag(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
}
