import { caseMessageAddedV1 } from '../../events/cases/case-message-added.v1';
import { busEventSchema } from '../../events/envelope';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import type { CaseRepository } from './case-repository';
import { outboundMessageId } from './case-threading';

/** The side effect's name; its marker (`$DONE#case-reply#<messageId>`) sits in the customer's partition. */
export const CASE_REPLY_EFFECT = 'case-reply';

export type CaseReplyResult = { status: 'sent'; messageId: string } | { status: 'not-a-reply' | 'already-sent' | 'message-gone' | 'no-address' };

/** The case reference a reply's subject and header carry, so an answer can find its case again (inbound mail, docs/service.md). */
export const caseReference = (caseId: string) => `[case ${caseId}]`;

/**
 * Rule target on `crm.case.message-added.v1`: mails an agent's reply to the case's requester once,
 * however often the event is delivered (a marker claimed before the send, released if SES
 * refuses, so a retry sends it then). A message erased meanwhile is not mailed.
 */
export interface CaseReplyDeps {
  cases: Pick<CaseRepository, 'get'>;
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
  /** The domain of the CRM's own Message-IDs (the sender's): what threads an answer back to its case. */
  messageIdDomain: string;
}

export async function sendCaseReply(deps: CaseReplyDeps, event: unknown): Promise<CaseReplyResult> {
  const detail = caseMessageAddedV1.schema.parse(busEventSchema.parse(event).detail);
  const { caseId, messageId, kind } = detail.data;
  if (kind !== 'outbound') return { status: 'not-a-reply' };
  const found = await deps.cases.get(detail.tenantId, caseId, true);
  // The index may trail the commit by a moment: failing lets the bus deliver it again.
  if (!found) throw new Error(`Case ${caseId} is not readable yet`);
  const message = found.messages.find((m) => m.id === messageId);
  if (!message) return { status: 'message-gone' };
  const to = found.case.email;
  if (!to) return { status: 'no-address' };

  const partition = keys.customerPartition(detail.tenantId, found.case.customerId);
  const effect = `${CASE_REPLY_EFFECT}#${messageId}`;
  if (!(await deps.once.claim(partition, effect, clock.nowIso()))) return { status: 'already-sent' };
  let sent: { messageId: string };
  try {
    sent = await deps.mailer.sendSimple({
      to,
      subject: `Re: ${found.case.subject} ${caseReference(caseId)}`,
      text: message.text,
      html: `<p>${escapeHtml(message.text).replace(/\n/g, '<br>')}</p>`,
      tags: { tenantId: detail.tenantId, customerId: found.case.customerId, kind: CASE_REPLY_EFFECT },
      // SES replaces the Message-ID it sends; clients carry References forward on an answer, so
      // the case's own id travels there (shared/cases/case-threading.ts reads it back).
      headers: [
        { name: 'X-CRM-Case', value: caseId },
        { name: 'References', value: outboundMessageId(caseId, messageId, deps.messageIdDomain) },
      ],
    });
  } catch (error) {
    await deps.once.release(partition, effect);
    throw error;
  }
  // Sent: from here a failure must not release the marker, or a retry would mail it twice.
  await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
  return { status: 'sent', messageId: sent.messageId };
}
