import { describe, expect, it } from 'vitest';
import { outboundMessageId } from '../../../shared/cases/case-threading';
import { type InboundMail, parseInboundMail } from '../../../shared/cases/inbound-mail';
import { type Classification, classifyInbound, KIND_EFFECTS } from '../../../shared/cases/mail-classification';

const mime = (...lines: string[]) => lines.join('\r\n');
const OURS = ['support@crm.example', 'no-reply@crm.example'];
const DOMAIN = 'crm.example';

async function parsed(raw: string): Promise<InboundMail> {
  const result = await parseInboundMail(raw);
  if (!result.ok) throw new Error(`refused: ${result.reason}: ${result.detail}`);
  return result.mail;
}

const person = (...headers: string[]) => mime('From: Ann <ann@example.com>', 'To: support@crm.example', 'Subject: Question about my order', ...headers, '', 'Where is it?', '');

const AUTO_SUBMITTED = mime(
  'From: Ann <ann@example.com>',
  'To: support@crm.example',
  'Subject: Re: Your case [case 01JD5X8Q2V3M4N5P6R7S8T9VWX]',
  'Auto-Submitted: auto-replied (vacation)',
  'Message-ID: <vac.1@example.com>',
  '',
  'I am on holiday until 4 January.',
  '',
);

const OUTLOOK_OOF = mime(
  'From: Bob Builder <bob@corp.example>',
  'To: support@crm.example',
  'Subject: Automatic reply: Invoice missing',
  'X-Auto-Response-Suppress: All',
  'X-MS-Exchange-Inbox-Rules-Loop: bob@corp.example',
  'Content-Type: text/plain; charset="us-ascii"',
  '',
  'I am out of the office.',
  '',
);

const DSN = mime(
  'Return-Path: <>',
  'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>',
  'To: support@crm.example',
  'Subject: Undelivered Mail Returned to Sender',
  'MIME-Version: 1.0',
  'Content-Type: multipart/report; report-type=delivery-status;',
  '\tboundary="dsn-boundary"',
  '',
  '--dsn-boundary',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'This is the mail system at host mx.example.net. Your message could not be delivered.',
  '',
  '--dsn-boundary',
  'Content-Type: message/delivery-status',
  '',
  'Reporting-MTA: dns; mx.example.net',
  '',
  'Final-Recipient: rfc822; gone@example.net',
  'Action: failed',
  'Status: 5.1.1',
  '',
  '--dsn-boundary--',
  '',
);

const cases: [string, string, Classification][] = [
  ['a person', person(), { kind: 'human', reason: 'no-automation-signal' }],
  ['Auto-Submitted: no (a person, said explicitly)', person('Auto-Submitted: no'), { kind: 'human', reason: 'no-automation-signal' }],
  ['an auto-reply with Auto-Submitted', AUTO_SUBMITTED, { kind: 'auto-reply', reason: 'auto-submitted:auto-replied' }],
  ['Auto-Submitted: auto-generated', person('Auto-Submitted: Auto-Generated'), { kind: 'auto-reply', reason: 'auto-submitted:auto-generated' }],
  ['X-Autoreply', person('X-Autoreply: yes'), { kind: 'auto-reply', reason: 'x-autoreply' }],
  ['X-Autorespond', person('X-Autorespond: Out of office'), { kind: 'auto-reply', reason: 'x-autorespond' }],
  ['Precedence: bulk', person('Precedence: bulk'), { kind: 'auto-reply', reason: 'precedence:bulk' }],
  ['Precedence: junk', person('Precedence: junk'), { kind: 'auto-reply', reason: 'precedence:junk' }],
  ['Precedence: list', person('Precedence: list'), { kind: 'auto-reply', reason: 'precedence:list' }],
  ['Precedence: auto_reply', person('Precedence: auto_reply'), { kind: 'auto-reply', reason: 'precedence:auto_reply' }],
  ['Precedence: first-class (no automation)', person('Precedence: first-class'), { kind: 'human', reason: 'no-automation-signal' }],
  ['an Outlook out-of-office', OUTLOOK_OOF, { kind: 'auto-reply', reason: 'x-auto-response-suppress' }],
  ['a read receipt (MDN)', person('Content-Type: multipart/report; report-type=disposition-notification; boundary="x"'), { kind: 'auto-reply', reason: 'report:disposition-notification' }],
  ['the null sender', person('Return-Path: <>'), { kind: 'auto-reply', reason: 'null-return-path' }],
  ['an out-of-office subject only', mime('From: eve@example.org', 'Subject: Out of Office: back Monday', '', 'Away.'), { kind: 'auto-reply', reason: 'auto-reply-subject' }],
  ['a person asking about auto replies', mime('From: eve@example.org', 'Subject: Auto reply settings do not work', '', 'Help.'), { kind: 'human', reason: 'no-automation-signal' }],
  ['a DSN bounce', DSN, { kind: 'bounce', reason: 'delivery-status-report' }],
  ['postmaster without a report', mime('From: postmaster@example.org', 'Subject: Delivery failure', '', 'It failed.'), { kind: 'bounce', reason: 'from-mailer-daemon' }],
  ['our own address', mime('From: Support <Support@CRM.example>', 'Subject: Re: x', 'X-CRM-Case: 01JD5X8Q2V3M4N5P6R7S8T9VWX', '', 'Our reply, back.'), { kind: 'loop', reason: 'from-our-address' }],
  [
    'our own Message-ID, resent by someone else',
    mime('From: fwd@example.org', `Message-ID: ${outboundMessageId('01JD5X8Q2V3M4N5P6R7S8T9VWX', '01JD5X9AAAAAAAAAAAAAAAAAAA', DOMAIN)}`, 'Subject: Re: x', '', 'Ours.'),
    { kind: 'loop', reason: 'our-message-id' },
  ],
  ['an X-CRM-Case header from a stranger (anyone can write it)', person('X-CRM-Case: 01JD5X8Q2V3M4N5P6R7S8T9VWX'), { kind: 'human', reason: 'no-automation-signal' }],
];

describe('classifying an inbound mail', () => {
  it.each(cases)('%s', async (_name, raw, expected) => {
    expect(classifyInbound(await parsed(raw), OURS, DOMAIN)).toEqual(expected);
  });

  it('tells a loop by the Message-ID only for our domain', async () => {
    const resent = await parsed(mime('From: fwd@example.org', `Message-ID: ${outboundMessageId('01JD5X8Q2V3M4N5P6R7S8T9VWX', '01JD5X9AAAAAAAAAAAAAAAAAAA', 'other.example')}`, '', 'x'));
    expect(classifyInbound(resent, OURS, DOMAIN).kind).toBe('human');
    expect(classifyInbound(resent, OURS).kind).toBe('human');
  });

  it('answers and reopens for a person only; stores all but loops', () => {
    expect(KIND_EFFECTS).toEqual({
      human: { store: true, answer: true, reopen: true },
      'auto-reply': { store: true, answer: false, reopen: false },
      bounce: { store: true, answer: false, reopen: false },
      loop: { store: false, answer: false, reopen: false },
    });
  });
});
