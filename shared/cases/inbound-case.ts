import { type Case, type CaseMessage, closesAt } from './case';
import type { InboundMail } from './inbound-mail';
import { type Classification, KIND_EFFECTS } from './mail-classification';

/**
 * What an inbound mail does to a case (docs/service.md, "Inbound mail"). Pure: the use case
 * (inbound-use-case.ts) reads and writes, these rules decide.
 */

/** Who stands behind what inbound mail writes: the requester, received by the CRM (not a user). */
export const INBOUND_ACTOR_ID = 'inbound-mail';


const TENANT_LOCAL_PART = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The tenant a mail was sent to: the first recipient `<tenantId>@<inbound domain>` (the envelope's
 * recipients in AWS, the To/Cc list locally). A tenant's own support address forwards there. Other
 * domains are someone else's copy (a Cc to a colleague) and say nothing.
 */
export function tenantOfRecipients(recipients: readonly string[], inboundDomain: string): string | null {
  const domain = inboundDomain.toLowerCase();
  for (const recipient of recipients) {
    const at = recipient.lastIndexOf('@');
    if (at < 1 || recipient.slice(at + 1).toLowerCase() !== domain) continue;
    const local = recipient.slice(0, at);
    if (TENANT_LOCAL_PART.test(local)) return local;
  }
  return null;
}

/**
 * Whether the case still takes the customer's mail: not when closed, nor when resolved longer ago
 * than the reopen window (the closing sweep may not have run yet; the answer is the same).
 */
export function takesInbound(c: Pick<Case, 'status' | 'resolvedAt'>, nowMs: number): boolean {
  if (c.status === 'closed') return false;
  const closing = closesAt(c);
  return closing === null || nowMs < Date.parse(closing);
}

/** The message a received mail becomes on a case. */
export function inboundMessage(mail: InboundMail, classification: Classification, ids: { id: string; caseId: string; customerId: string; at: string; rawObjectKey: string | null }): CaseMessage {
  return {
    id: ids.id,
    caseId: ids.caseId,
    customerId: ids.customerId,
    kind: 'inbound',
    text: mail.text || mail.subject,
    authorId: null,
    messageId: mail.messageId,
    at: ids.at,
    mail: {
      from: mail.from.address,
      fromName: mail.from.name,
      subject: mail.subject,
      kind: classification.kind === 'loop' ? 'human' : classification.kind,
      attachments: mail.attachments,
      droppedAttachments: mail.droppedAttachments,
      rawObjectKey: ids.rawObjectKey,
    },
  };
}

/**
 * The case after a received mail: counted, and a person's answer puts a case that waited for the
 * customer (or was resolved, within the window) back to `open`. Auto-replies and bounces are kept
 * on the thread and change no status: an out-of-office is not the customer answering.
 */
export function withInbound(current: Case, message: CaseMessage, classification: Classification): Case {
  const reopen = KIND_EFFECTS[classification.kind].reopen && (current.status === 'pending-customer' || current.status === 'resolved');
  return {
    ...current,
    status: reopen ? 'open' : current.status,
    resolvedAt: reopen ? null : current.resolvedAt,
    messageCount: current.messageCount + 1,
    lastMessageAt: message.at,
    updatedAt: message.at,
    updatedBy: INBOUND_ACTOR_ID,
    version: current.version + 1,
  };
}

/** Mail that names no case of the tenant opens one only if a person wrote it: an out-of-office or a bounce alone is no request. */
export const opensCase = (classification: Classification) => classification.kind === 'human';

/** The subject of a case opened by mail: the mail's, without reply prefixes or our case token. */
export function caseSubject(subject: string): string {
  let s = subject.replace(/\[\s*case\s+[0-9A-HJKMNP-TV-Z]{26}\s*\]/gi, ' ');
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(/^\s*(re|aw|fwd?|wg|tr|sv|vs)\s*(\[\d+\])?\s*:\s*/i, '');
  }
  s = s.replace(/\s+/g, ' ').trim();
  return (s || '(no subject)').slice(0, 300);
}
