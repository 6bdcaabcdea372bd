import { busEventSchema } from '../../events/envelope';
import { approvalEscalatedV1 } from '../../events/processes/approval-escalated.v1';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import type { DirectoryUser } from '../users/user';
import type { ApprovalRepository } from './approval-repository';

/** The side effect's name; its marker (`$DONE#approval-escalated#<newApprovalId>`) sits in the customer's partition. */
export const ESCALATION_MAIL_EFFECT = 'approval-escalated';

export interface EscalationMailDeps {
  approvals: Pick<ApprovalRepository, 'load'>;
  users: { get(tenantId: string, userId: string): Promise<DirectoryUser | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
}

export type EscalationMailResult = { status: 'sent'; messageId: string } | { status: 'already-sent' | 'no-address' | 'process-gone' };

/**
 * Rule target on `crm.approval.escalated.v1`: tells the approver a step now waits on (the
 * manager or admin it went to, or their delegate) once, however often the event comes: what it is
 * (the request's summary: a number, a total, a discount, never a customer's name) and since when.
 */
export async function mailEscalatedApproval(deps: EscalationMailDeps, event: unknown): Promise<EscalationMailResult> {
  const detail = approvalEscalatedV1.schema.parse(busEventSchema.parse(event).detail);
  const { processId, newApprovalId, toApproverId, customerId, step, newDueAt, kind } = detail.data;
  const [loaded, approver] = await Promise.all([deps.approvals.load(detail.tenantId, processId), deps.users.get(detail.tenantId, toApproverId)]);
  if (!loaded) return { status: 'process-gone' };
  if (!approver?.email) return { status: 'no-address' };
  const partition = keys.customerPartition(detail.tenantId, customerId);
  const effect = `${ESCALATION_MAIL_EFFECT}#${newApprovalId}`;
  if (!(await deps.once.claim(partition, effect, clock.nowIso()))) return { status: 'already-sent' };
  const summary = loaded.process.subject.summary;
  const text = [
    `Step ${step + 1} of a ${kind} approval passed its time limit undecided and now waits on you.`,
    '',
    summary,
    '',
    `Please approve or reject it in your approvals inbox by ${newDueAt}.`,
  ].join('\n');
  let sent: { messageId: string };
  try {
    sent = await deps.mailer.sendSimple({
      to: approver.email,
      subject: `An approval waits on you: ${summary}`,
      text,
      html: text.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
      tags: { tenantId: detail.tenantId, customerId, kind: ESCALATION_MAIL_EFFECT },
    });
  } catch (error) {
    await deps.once.release(partition, effect);
    throw error;
  }
  await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
  return { status: 'sent', messageId: sent.messageId };
}
