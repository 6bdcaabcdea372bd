import { contractRenewalDueV1 } from '../../events/contracts/contract-renewal-due.v1';
import { busEventSchema } from '../../events/envelope';
import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { escapeHtml } from '../html';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import type { DirectoryUser } from '../users/user';

/** The side effect's name; its marker (`$DONE#contract-renewal#<contractId>`) sits in the customer's partition. */
export const RENEWAL_MAIL_EFFECT = 'contract-renewal';

export interface RenewalMailDeps {
  users: { get(tenantId: string, userId: string): Promise<DirectoryUser | undefined> };
  mailer: Pick<SesMail, 'sendSimple'>;
  once: Pick<OnceStore, 'claim' | 'release' | 'complete'>;
}

export type RenewalMailResult = { status: 'sent'; messageId: string } | { status: 'already-sent' | 'no-address' };

/**
 * Rule target on `crm.contract.renewal-due.v1`: tells the contract's owner once, however often the
 * event comes, that the contract ends soon and a renewal task waits: its number, value and end,
 * never the customer's name (the task and the CRM have the rest).
 */
export async function mailContractRenewal(deps: RenewalMailDeps, event: unknown): Promise<RenewalMailResult> {
  const detail = contractRenewalDueV1.schema.parse(busEventSchema.parse(event).detail);
  const d = detail.data;
  const owner = await deps.users.get(detail.tenantId, d.ownerId);
  if (!owner?.email) return { status: 'no-address' };
  const partition = keys.customerPartition(detail.tenantId, d.customerId);
  const effect = `${RENEWAL_MAIL_EFFECT}#${d.contractId}`;
  if (!(await deps.once.claim(partition, effect, clock.nowIso()))) return { status: 'already-sent' };
  const text = [
    `Contract ${d.number} (${d.value} ${d.currency}) ends on ${d.endsOn}, in ${d.renewalNoticeDays} days or less.`,
    '',
    'A renewal task is open for you: talk to the customer about renewing it before it ends.',
  ].join('\n');
  let sent: { messageId: string };
  try {
    sent = await deps.mailer.sendSimple({
      to: owner.email,
      subject: `Contract ${d.number} ends on ${d.endsOn}: time to renew`,
      text,
      html: text.split('\n').map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
      tags: { tenantId: detail.tenantId, customerId: d.customerId, kind: RENEWAL_MAIL_EFFECT },
    });
  } catch (error) {
    await deps.once.release(partition, effect);
    throw error;
  }
  await deps.once.complete(partition, effect, { messageId: sent.messageId }, []);
  return { status: 'sent', messageId: sent.messageId };
}
