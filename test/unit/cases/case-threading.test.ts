import { describe, expect, it } from 'vitest';
import {
  decideThread,
  type FoundCase,
  inboundMessageKey,
  outboundMessageId,
  parseOutboundMessageId,
  referencedMessageIds,
  subjectCaseId,
  threadDecision,
  threadingKey,
} from '../../../shared/cases/case-threading';
import { type InboundMail, parseInboundMail } from '../../../shared/cases/inbound-mail';

const mime = (...lines: string[]) => lines.join('\r\n');
const DOMAIN = 'crm.example';
const CASE = '01JD5X8Q2V3M4N5P6R7S8T9VWX';
const OTHER = '01JD5Y0000000000000000000Z';
const MSG = '01JD5X9AAAAAAAAAAAAAAAAAAA';

async function parsed(raw: string): Promise<InboundMail> {
  const result = await parseInboundMail(raw);
  if (!result.ok) throw new Error(`refused: ${result.reason}: ${result.detail}`);
  return result.mail;
}

const found = (over: Partial<FoundCase> = {}): FoundCase => ({ id: CASE, status: 'pending-customer', email: 'ann@example.com', customerAddresses: ['ann@example.com', 'billing@acme.example'], ...over });

const REPLY_IN_OUR_FORMAT = mime(
  'From: Stranger <someone@elsewhere.example>',
  'Subject: Re: Invoice missing',
  'Message-ID: <r1@elsewhere.example>',
  `In-Reply-To: <case.${CASE}.${MSG}@crm.example>`,
  `References: <case.${OTHER}.${MSG}@crm.example> <case.${CASE}.${MSG}@CRM.example>`,
  '',
  'Colleague here: fixed, thanks.',
  '',
);

const tokenOnly = (from: string) => mime(`From: ${from}`, `Subject: AW:  Fwd: RE: Invoice missing [case  ${CASE} ]`, '', 'Any news?', '');

describe('our Message-IDs', () => {
  it('builds and reads back <case.<caseId>.<messageId>@<domain>>, for our domain only', () => {
    expect(outboundMessageId(CASE, MSG, 'CRM.example')).toBe(`<case.${CASE}.${MSG}@crm.example>`);
    expect(parseOutboundMessageId(`<case.${CASE}.${MSG}@crm.example>`, DOMAIN)).toEqual({ caseId: CASE, messageId: MSG });
    expect(parseOutboundMessageId(`<case.${CASE}.${MSG}@evil.example>`, DOMAIN)).toBeNull();
    expect(parseOutboundMessageId(`<case.${CASE.toLowerCase()}.${MSG}@crm.example>`, DOMAIN)).toBeNull();
    expect(parseOutboundMessageId(`<case.${CASE}@crm.example>`, DOMAIN)).toBeNull();
  });

  it('reads the subject token exactly, whatever the prefixes and spacing', () => {
    expect(subjectCaseId(`Re: AW: Fwd: Help [case ${CASE}]`)).toBe(CASE);
    expect(subjectCaseId(`[ Case ${CASE} ] Help`)).toBe(CASE);
    expect(subjectCaseId(`Help [case ${CASE}X]`)).toBeNull();
    expect(subjectCaseId('Help [case 01JD5X8Q2V3M4N5P6R7S8T9VWU]')).toBeNull(); // U is not a ULID letter
    expect(subjectCaseId(`Help case ${CASE}`)).toBeNull();
  });
});

describe('threading an inbound mail', () => {
  it('trusts In-Reply-To, then References newest first, then the subject token, each case once', async () => {
    const mail = await parsed(REPLY_IN_OUR_FORMAT);
    expect(threadingKey({ ...mail, subject: `Re: x [case ${OTHER}]` }, DOMAIN)).toEqual([
      { caseId: CASE, source: 'in-reply-to' },
      { caseId: OTHER, source: 'references' },
    ]);
    expect(threadingKey({ ...mail, inReplyTo: null }, DOMAIN)).toEqual([
      { caseId: CASE, source: 'references' },
      { caseId: OTHER, source: 'references' },
    ]);
    expect(referencedMessageIds(mail)).toEqual([`<case.${CASE}.${MSG}@crm.example>`, `<case.${CASE}.${MSG}@CRM.example>`, `<case.${OTHER}.${MSG}@crm.example>`]);
  });

  it('attaches a reply to our Message-ID whoever sends it (a colleague in Cc answers too)', async () => {
    const mail = await parsed(REPLY_IN_OUR_FORMAT);
    const [candidate] = threadingKey(mail, DOMAIN);
    expect(threadDecision(candidate, found(), mail)).toEqual({ action: 'attach', caseId: CASE, reason: 'reference' });
  });

  it('attaches a subject token from the requester or the customer, and opens a new case for a stranger', async () => {
    const fromRequester = await parsed(tokenOnly('ANN@example.com'));
    const candidates = threadingKey(fromRequester, DOMAIN);
    expect(candidates).toEqual([{ caseId: CASE, source: 'subject-token' }]);
    expect(threadDecision(candidates[0], found(), fromRequester)).toEqual({ action: 'attach', caseId: CASE, reason: 'token-from-requester' });
    const fromCustomer = await parsed(tokenOnly('billing@acme.example'));
    expect(threadDecision(candidates[0], found(), fromCustomer)).toEqual({ action: 'attach', caseId: CASE, reason: 'token-from-requester' });
    const fromStranger = await parsed(tokenOnly('mallory@evil.example'));
    expect(threadDecision(candidates[0], found(), fromStranger)).toEqual({ action: 'new-case', reason: 'token-sender-mismatch', relatedCaseId: null });
  });

  it('does not take a subject token from a From the receiving side found forged; a reference still attaches', async () => {
    const forged = await parsed(tokenOnly('ann@example.com'));
    expect(threadDecision(threadingKey(forged, DOMAIN)[0], found(), forged, { senderAuthenticated: false })).toEqual({ action: 'new-case', reason: 'token-sender-unverified', relatedCaseId: null });
    const reply = await parsed(REPLY_IN_OUR_FORMAT);
    expect(threadDecision(threadingKey(reply, DOMAIN)[0], found(), reply, { senderAuthenticated: false })).toEqual({ action: 'attach', caseId: CASE, reason: 'reference' });
  });

  it('opens a new case for a case the tenant does not have, for a closed case (naming it), and without any reference', async () => {
    const mail = await parsed(tokenOnly('ann@example.com'));
    const [candidate] = threadingKey(mail, DOMAIN);
    expect(threadDecision(candidate, undefined, mail)).toEqual({ action: 'new-case', reason: 'unknown-case', relatedCaseId: null });
    expect(threadDecision(candidate, found({ id: OTHER }), mail)).toEqual({ action: 'new-case', reason: 'unknown-case', relatedCaseId: null });
    expect(threadDecision(candidate, found({ status: 'closed' }), mail)).toEqual({ action: 'new-case', reason: 'case-closed', relatedCaseId: CASE });
    expect(threadDecision(candidate, found({ status: 'resolved' }), mail)).toEqual({ action: 'attach', caseId: CASE, reason: 'token-from-requester' });
    const plain = await parsed(mime('From: ann@example.com', 'Subject: New question', '', 'Hello'));
    expect(threadingKey(plain, DOMAIN)).toEqual([]);
    expect(decideThread([], plain)).toEqual({ action: 'new-case', reason: 'no-reference', relatedCaseId: null });
  });

  it('lets the most trusted candidate the tenant has decide', async () => {
    const mail = await parsed(REPLY_IN_OUR_FORMAT);
    const [mine, foreign] = threadingKey(mail, DOMAIN);
    if (!mine || !foreign) throw new Error('expected two candidates');
    // The In-Reply-To case is another tenant's: the next reference the tenant has wins.
    expect(decideThread([{ candidate: mine, found: undefined }, { candidate: foreign, found: found({ id: OTHER }) }], mail)).toEqual({ action: 'attach', caseId: OTHER, reason: 'reference' });
    expect(decideThread([{ candidate: mine, found: undefined }, { candidate: foreign, found: undefined }], mail)).toEqual({ action: 'new-case', reason: 'unknown-case', relatedCaseId: null });
    expect(decideThread([{ candidate: mine, found: found({ status: 'closed' }) }, { candidate: foreign, found: found({ id: OTHER }) }], mail)).toEqual({ action: 'new-case', reason: 'case-closed', relatedCaseId: CASE });
  });
});

describe('the inbound message key', () => {
  it('is the sender and Message-ID hashed when there is one, so a copied Message-ID from someone else is another mail', async () => {
    const mail = await parsed(mime('From: Ann@Example.com', 'Message-ID: <a@b>', '', 'hi'));
    expect(inboundMessageKey(mail)).toBe('mid:7aee63aaf1b6f8a69c7c8feffd57066c4740c3d2b598b3072b6735d0a23304ca');
    expect(inboundMessageKey({ ...mail, text: 'hi again, same mail via another relay' })).toBe(inboundMessageKey(mail));
    const copied = await parsed(mime('From: mallory@evil.example', 'Message-ID: <a@b>', '', 'hi'));
    expect(inboundMessageKey(copied)).not.toBe(inboundMessageKey(mail));
  });

  it('is the same for a mail without Message-ID delivered twice, and differs for another mail', async () => {
    const raw = mime('From: Ann <ann@example.com>', 'Date: Mon, 7 Dec 2026 10:00:00 +0100', 'Subject: Re: Invoice [case 01JD5X8Q2V3M4N5P6R7S8T9VWX]', '', 'Still missing.', '');
    const first = await parsed(raw);
    // The second delivery went through another relay: headers on top differ, the mail does not.
    const second = await parsed(mime('Received: from relay2.example by mx.crm.example', 'Return-Path: <ann@example.com>', raw));
    expect(first.messageId).toBeNull();
    expect(inboundMessageKey(second)).toBe(inboundMessageKey(first));
    expect(inboundMessageKey(first)).toMatch(/^sum:[0-9a-f]{64}$/);
    const other = await parsed(raw.replace('Still missing.', 'Found it.'));
    expect(inboundMessageKey(other)).not.toBe(inboundMessageKey(first));
  });
});
