import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

export interface TemplatedEmail {
  to: string;
  /** The SES v2 template (sesTemplateName) and its data as JSON (templateData). */
  templateName: string;
  templateData: string;
  /** Extra headers, e.g. RFC 8058's List-Unsubscribe and List-Unsubscribe-Post. */
  headers: { name: string; value: string }[];
  tags: { Name: string; Value: string }[];
}

export interface TemplatedMailer {
  send(email: TemplatedEmail): Promise<{ messageId: string }>;
}

/** One SendEmail with a stored SES template, through the stage's configuration set (its events come back to the CRM). */
export class SesTemplatedMailer implements TemplatedMailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string | undefined,
  ) {}

  async send(email: TemplatedEmail): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Template: {
            TemplateName: email.templateName,
            TemplateData: email.templateData,
            Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
          },
        },
        ConfigurationSetName: this.configurationSet,
        EmailTags: email.tags,
      }),
    );
    return { messageId: result.MessageId ?? '' };
  }
}
