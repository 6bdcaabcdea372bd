import { describe, expect, it } from 'vitest';
import type { Case } from '../../../shared/cases/case';
import { caseSubject, inboundMessage, opensCase, takesInbound, tenantOfRecipients, withInbound } from '../../../shared/cases/inbound-case';
import type { InboundMail } from '../../../shared/cases/inbound-mail';
import { receivedMailsOf, senderAuthenticated } from '../../../shared/cases/ses-receipt';

const base: Case = {
  id: 'C1', tenantId: 't1', customerId: 'K1', contactId: null, email: 'ann@example.com', subject: 'Help', description: 'It broke', priority: 'normal',
  category: 'general', channel: 'email', status: 'pending-customer', assigneeId: 'agent-1', messageCount: 2, lastMessageAt: null, firstResponseAt: '2026-12-07T10:00:00.000Z',
  resolvedAt: null, createdAt: '2026-12-07T09:00:00.000Z', createdBy: 'inbound-mail', updatedAt: '2026-12-07T10:00:00.000Z', updatedBy: 'agent-1', version: 3, sla: null,
};
const mail: InboundMail = {
  messageId: '<m1@customer.test>', inReplyTo: null, references: [], from: { address: 'ann@example.com', name: 'Ann' }, to: ['t1@inbound.example.com'], cc: [],
  subject: 'Re: Help', text: 'Thanks!', quoted: null, sentAt: null, headers: {}, attachments: [], droppedAttachments: [],
};
const at = '2026-12-08T09:00:00.000Z';
const message = (kind: 'human' | 'auto-reply' | 'bounce') => inboundMessage(mail, { kind, reason: 'test' }, { id: 'M9', caseId: 'C1', customerId: 'K1', at, rawObjectKey: 'raw/abc' });

describe('the tenant a mail is for', () => {
  it('is the local part of the first recipient at the inbound domain, any case of the domain', () => {
    expect(tenantOfRecipients(['boss@customer.test', 't-1234abcd@Inbound.Example.com'], 'inbound.example.com')).toBe('t-1234abcd');
    expect(tenantOfRecipients(['t1@inbound.example.com.evil.test', 't1@example.com'], 'inbound.example.com')).toBeNull();
    expect(tenantOfRecipients(['a.b+c@inbound.example.com', '@inbound.example.com'], 'inbound.example.com')).toBeNull();
    expect(tenantOfRecipients([], 'inbound.example.com')).toBeNull();
  });
});

describe('what a received mail does to its case', () => {
  it('a person answering reopens a case waiting for them or resolved; an auto-reply or bounce only joins the thread', () => {
    expect(withInbound(base, message('human'), { kind: 'human', reason: '' })).toMatchObject({ status: 'open', messageCount: 3, lastMessageAt: at, updatedBy: 'inbound-mail', version: 4 });
    expect(withInbound({ ...base, status: 'resolved', resolvedAt: at }, message('human'), { kind: 'human', reason: '' })).toMatchObject({ status: 'open', resolvedAt: null });
    expect(withInbound({ ...base, status: 'new' }, message('human'), { kind: 'human', reason: '' }).status).toBe('new');
    expect(withInbound(base, message('auto-reply'), { kind: 'auto-reply', reason: '' })).toMatchObject({ status: 'pending-customer', messageCount: 3 });
    expect(withInbound({ ...base, status: 'resolved', resolvedAt: at }, message('bounce'), { kind: 'bounce', reason: '' }).status).toBe('resolved');
  });

  it('takes mail until closed, and a resolved case only within the reopen window', () => {
    const resolvedAt = '2026-12-01T12:00:00.000Z';
    expect(takesInbound({ status: 'open', resolvedAt: null }, Date.parse('2027-06-01T00:00:00Z'))).toBe(true);
    expect(takesInbound({ status: 'resolved', resolvedAt }, Date.parse('2026-12-08T11:59:59.999Z'))).toBe(true);
    // The window's end is when the sweep closes the case: from then on, an answer opens a new one.
    expect(takesInbound({ status: 'resolved', resolvedAt }, Date.parse('2026-12-08T12:00:00.000Z'))).toBe(false);
    expect(takesInbound({ status: 'closed', resolvedAt }, Date.parse(resolvedAt))).toBe(false);
  });

  it('keeps who wrote, the kind and the attachments on the message; only a person opens a case', () => {
    expect(message('auto-reply')).toMatchObject({ kind: 'inbound', authorId: null, messageId: '<m1@customer.test>', text: 'Thanks!', mail: { from: 'ann@example.com', fromName: 'Ann', kind: 'auto-reply', rawObjectKey: 'raw/abc' } });
    expect(inboundMessage({ ...mail, text: '' }, { kind: 'human', reason: '' }, { id: 'M', caseId: 'C', customerId: 'K', at, rawObjectKey: null }).text).toBe('Re: Help');
    expect([opensCase({ kind: 'human', reason: '' }), opensCase({ kind: 'auto-reply', reason: '' }), opensCase({ kind: 'bounce', reason: '' })]).toEqual([true, false, false]);
  });

  it('names a new case by the subject without reply prefixes or our token', () => {
    expect(caseSubject('Re: AW: Fwd: Printer offline')).toBe('Printer offline');
    expect(caseSubject('RE[2]: Invoice [case 01JD5X8Q2V3M4N5P6R7S8T9VWX]  wrong')).toBe('Invoice wrong');
    expect(caseSubject('   ')).toBe('(no subject)');
    expect(caseSubject('x'.repeat(400))).toHaveLength(300);
  });
});

describe('the SES receipt event', () => {
  it("trusts DMARC's verdict first, then SPF or DKIM passing; says nothing without verdicts", () => {
    expect(senderAuthenticated({ recipients: [], dmarcVerdict: { status: 'PASS' }, spfVerdict: { status: 'FAIL' } })).toBe(true);
    expect(senderAuthenticated({ recipients: [], dmarcVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'PASS' } })).toBe(false);
    expect(senderAuthenticated({ recipients: [], dmarcVerdict: { status: 'GRAY' }, dkimVerdict: { status: 'PASS' } })).toBe(true);
    expect(senderAuthenticated({ recipients: [], spfVerdict: { status: 'FAIL' }, dkimVerdict: { status: 'FAIL' } })).toBe(false);
    expect(senderAuthenticated({ recipients: [], spfVerdict: { status: 'PROCESSING_FAILED' } })).toBeUndefined();
  });

  it('names the object the S3 action stored for each record', () => {
    const event = { Records: [{ ses: { mail: { messageId: 'abc123' }, receipt: { recipients: ['t1@inbound.example.com'] } } }] };
    expect(receivedMailsOf(event)).toEqual([{ sesMessageId: 'abc123', objectKey: 'raw/abc123', recipients: ['t1@inbound.example.com'], senderAuthenticated: undefined }]);
  });
});
