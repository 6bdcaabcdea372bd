import { describe, expect, it } from 'vitest';
import type { SimpleMail } from '../../../shared/aws/ses-mail';
import type { Case, CaseMessage } from '../../../shared/cases/case';
import { sendCaseReply } from '../../../shared/cases/case-reply-use-case';
import { parseOutboundMessageId } from '../../../shared/cases/case-threading';

const CASE_ID = '01JD0000000000000000000042';
const MESSAGE_ID = '01JD0000000000000000000044';
const theCase = { id: CASE_ID, tenantId: 'acme', customerId: 'K1', subject: 'Export fails', email: 'ann@example.com' } as Case;
const reply: CaseMessage = { id: MESSAGE_ID, caseId: CASE_ID, customerId: 'K1', kind: 'outbound', text: 'Fixed <now>.\nThanks', authorId: 'agent-1', messageId: null, at: '2026-12-07T09:05:00.000Z' };

const event = (kind = 'outbound') => ({
  id: 'e1',
  'detail-type': 'crm.case.message-added.v1',
  source: 'crm',
  time: '2026-12-07T09:05:00Z',
  detail: {
    id: '01JD0000000000000000000043', type: 'crm.case.message-added.v1', occurredAt: '2026-12-07T09:05:00.000Z', tenantId: 'acme',
    actor: { type: 'user', id: 'agent-1' }, correlationId: 'req-1',
    data: { caseId: CASE_ID, customerId: 'K1', messageId: MESSAGE_ID, kind, status: 'pending-customer' },
  },
});

function world(options: { failSend?: boolean; messages?: CaseMessage[]; email?: string | null } = {}) {
  const sent: SimpleMail[] = [];
  const markers = new Map<string, string>();
  const deps = {
    cases: { get: async () => ({ case: { ...theCase, email: options.email === undefined ? theCase.email : options.email }, messages: options.messages ?? [reply] }) },
    mailer: {
      sendSimple: async (mail: SimpleMail) => {
        if (options.failSend) throw new Error('SES refused');
        sent.push(mail);
        return { messageId: `ses-${sent.length}` };
      },
    },
    once: {
      claim: async (pk: string, effect: string) => (markers.has(`${pk}|${effect}`) ? false : (markers.set(`${pk}|${effect}`, 'claimed'), true)),
      release: async (pk: string, effect: string) => void markers.delete(`${pk}|${effect}`),
      complete: async (pk: string, effect: string) => void markers.set(`${pk}|${effect}`, 'done'),
    },
    messageIdDomain: 'mail.example.com',
  };
  return { deps, sent, markers };
}

describe('mailing a case reply', () => {
  it('mails the reply once, with the case in the subject and its own id in References', async () => {
    const { deps, sent } = world();
    expect(await sendCaseReply(deps, event())).toEqual({ status: 'sent', messageId: 'ses-1' });
    expect(await sendCaseReply(deps, event())).toEqual({ status: 'already-sent' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'ann@example.com', subject: `Re: Export fails [case ${CASE_ID}]`, text: reply.text });
    expect(sent[0]!.html).toBe('<p>Fixed &#60;now&#62;.<br>Thanks</p>');
    const references = sent[0]!.headers?.find((h) => h.name === 'References')?.value ?? '';
    expect(parseOutboundMessageId(references, 'mail.example.com')).toEqual({ caseId: CASE_ID, messageId: MESSAGE_ID });
  });

  it('releases the claim when SES refuses, so a retry sends it', async () => {
    const failing = world({ failSend: true });
    await expect(sendCaseReply(failing.deps, event())).rejects.toThrow('SES refused');
    expect(failing.markers.size).toBe(0);
  });

  it('sends nothing for a note, an erased message or a case without an address', async () => {
    expect(await sendCaseReply(world().deps, event('note'))).toEqual({ status: 'not-a-reply' });
    expect(await sendCaseReply(world({ messages: [] }).deps, event())).toEqual({ status: 'message-gone' });
    expect(await sendCaseReply(world({ email: null }).deps, event())).toEqual({ status: 'no-address' });
  });
});
