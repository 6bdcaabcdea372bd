import {
  BadRequestException,
  LimitExceededException,
  SendBulkEmailCommand,
  SendEmailCommand,
  SendingPausedException,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMail, SesThrottled } from '../../../shared/aws/ses-mail';
import { sesTags } from '../../../shared/aws/ses-tags';

const ses = mockClient(SESv2Client);
const mail = new SesMail(new SESv2Client({ region: 'eu-central-1' }), 'crm@example.com', 'crm-dev');
const unsubscribe = [
  { name: 'List-Unsubscribe', value: '<https://api.example.com/unsubscribe/t>' },
  { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
];
const $metadata = { httpStatusCode: 400 };

describe('SesMail', () => {
  beforeEach(() => ses.reset());

  it('sends a simple mail as one SendEmail with subject and both bodies, from the stage address through its configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'M1' });

    const result = await mail.sendSimple({ to: 'ada@example.com', subject: 'Welcome', text: 'Hello', html: '<p>Hello</p>', tags: { tenantId: 't1', customerId: 'C1', kind: 'welcome-email' } });

    expect(result).toEqual({ messageId: 'M1' });
    expect(ses.calls()).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'crm@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Welcome', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Hello', Charset: 'UTF-8' }, Html: { Data: '<p>Hello</p>', Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: 'crm-dev',
      EmailTags: [
        { Name: 'tenant', Value: 't1' },
        { Name: 'customer', Value: 'C1' },
        { Name: 'kind', Value: 'welcome-email' },
      ],
    });
  });

  it('sends a templated mail as one SendEmail with the stored template, its data as JSON and the extra headers', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'M2' });

    const result = await mail.sendTemplated({
      to: 'ada@example.com',
      templateName: 'crm-dev-t1-TPL1',
      data: { customer: { name: 'Ada' }, unsubscribeUrl: 'https://api.example.com/unsubscribe/t' },
      headers: unsubscribe,
      tags: { tenantId: 't1', customerId: 'C1', topic: 'marketing' },
    });

    expect(result).toEqual({ messageId: 'M2' });
    expect(ses.calls()).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'crm@example.com',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Template: {
          TemplateName: 'crm-dev-t1-TPL1',
          TemplateData: '{"customer":{"name":"Ada"},"unsubscribeUrl":"https://api.example.com/unsubscribe/t"}',
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://api.example.com/unsubscribe/t>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
      ConfigurationSetName: 'crm-dev',
      EmailTags: [
        { Name: 'tenant', Value: 't1' },
        { Name: 'customer', Value: 'C1' },
        { Name: 'topic', Value: 'marketing' },
      ],
    });
  });

  it('sends a bulk mail as one SendBulkEmail: the batch tags as default, each entry its data, headers and tags; a result per entry in order', async () => {
    ses.on(SendBulkEmailCommand).resolves({
      BulkEmailEntryResults: [{ Status: 'SUCCESS', MessageId: 'M1' }, { Status: 'MESSAGE_REJECTED', Error: 'Address blacklisted' }, { Status: 'FAILED' }],
    });
    const entry = (customerId: string) => ({ to: `${customerId}@example.com`, data: { customer: { name: customerId } }, headers: unsubscribe, tags: { customerId, recipientId: customerId } });

    const results = await mail.sendBulk({ templateName: 'crm-dev-t1-CMP1', tags: { tenantId: 't1', campaignId: 'CMP1', topic: 'marketing' }, entries: ['C1', 'C2', 'C3', 'C4'].map(entry) });

    expect(results).toEqual([
      { status: 'sent', messageId: 'M1' },
      { status: 'failed', error: 'Address blacklisted' },
      { status: 'failed', error: 'FAILED' },
      { status: 'failed', error: 'no result' },
    ]);
    expect(ses.calls()).toHaveLength(1);
    const input = ses.commandCalls(SendBulkEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      FromEmailAddress: 'crm@example.com',
      ConfigurationSetName: 'crm-dev',
      DefaultEmailTags: [
        { Name: 'tenant', Value: 't1' },
        { Name: 'campaign', Value: 'CMP1' },
        { Name: 'topic', Value: 'marketing' },
      ],
      DefaultContent: { Template: { TemplateName: 'crm-dev-t1-CMP1', TemplateData: '{}' } },
    });
    expect(input.BulkEmailEntries).toHaveLength(4);
    expect(input.BulkEmailEntries![0]).toEqual({
      Destination: { ToAddresses: ['C1@example.com'] },
      ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: '{"customer":{"name":"C1"}}' } },
      ReplacementHeaders: [
        { Name: 'List-Unsubscribe', Value: '<https://api.example.com/unsubscribe/t>' },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ],
      ReplacementTags: [
        { Name: 'customer', Value: 'C1' },
        { Name: 'recipient', Value: 'C1' },
      ],
    });
  });

  it('leaves the configuration set out when the stage has none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'M1' });
    await new SesMail(new SESv2Client({ region: 'eu-central-1' }), 'crm@example.com', undefined).sendSimple({ to: 'a@example.com', subject: 's', text: 't', html: 'h', tags: {} });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({ ConfigurationSetName: undefined, EmailTags: [] });
  });

  it.each([
    ['TooManyRequestsException', new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: { httpStatusCode: 429 } })],
    ['LimitExceededException', new LimitExceededException({ message: 'Daily quota exceeded', $metadata })],
    ['SendingPausedException', new SendingPausedException({ message: 'Sending paused', $metadata })],
    ['ThrottlingException', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata })],
    ['HTTP 429', Object.assign(new Error('slow down'), { $metadata: { httpStatusCode: 429 } })],
  ])('maps a bulk send refused for the rate or quota (%s) to SesThrottled', async (cause, error) => {
    ses.on(SendBulkEmailCommand).rejects(error);
    const sent = mail.sendBulk({ templateName: 'T', tags: {}, entries: [{ to: 'a@example.com', data: {}, headers: [], tags: {} }] });
    await expect(sent).rejects.toBeInstanceOf(SesThrottled);
    await expect(sent).rejects.toThrow(`SES throttled the send: ${cause}`);
  });

  it('lets any other SES error through as it came, for every kind of mail', async () => {
    const refused = new BadRequestException({ message: 'Template does not exist', $metadata });
    ses.on(SendBulkEmailCommand).rejects(refused).on(SendEmailCommand).rejects(refused);

    await expect(mail.sendBulk({ templateName: 'T', tags: {}, entries: [] })).rejects.toBe(refused);
    await expect(mail.sendTemplated({ to: 'a@example.com', templateName: 'T', data: {}, headers: [], tags: {} })).rejects.toBe(refused);
    await expect(mail.sendSimple({ to: 'a@example.com', subject: 's', text: 't', html: 'h', tags: {} })).rejects.toBe(refused);
  });
});

describe('sesTags', () => {
  it('names each field as its tag, in one order, and leaves absent fields out', () => {
    expect(sesTags({ topic: 'marketing', recipientId: 'R1', campaignId: 'CMP1', contactId: 'P1', customerId: 'C1', tenantId: 't1', kind: 'k' })).toEqual([
      { Name: 'tenant', Value: 't1' },
      { Name: 'customer', Value: 'C1' },
      { Name: 'contact', Value: 'P1' },
      { Name: 'campaign', Value: 'CMP1' },
      { Name: 'recipient', Value: 'R1' },
      { Name: 'topic', Value: 'marketing' },
      { Name: 'kind', Value: 'k' },
    ]);
    expect(sesTags({ tenantId: 't1', customerId: undefined })).toEqual([{ Name: 'tenant', Value: 't1' }]);
  });

  it('makes a value SES would refuse fit its alphabet and length instead of failing the mail', () => {
    expect(sesTags({ topic: 'spring sale.2027/eu' })).toEqual([{ Name: 'topic', Value: 'spring_sale_2027_eu' }]);
    expect(sesTags({ tenantId: 'x'.repeat(300) })[0]!.Value).toHaveLength(256);
  });
});
