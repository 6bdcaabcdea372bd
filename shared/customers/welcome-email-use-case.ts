import { busEventSchema } from '../../events/envelope';
import type { Activity } from '../activities/activity';
import { customerCreatedV1 } from '../../events/customer-created.v1';
import { clock } from '../clock';
import { newId } from '../ids';
import type { OnceStore } from '../idempotency/once-store';
import { keys } from '../keys';
import type { SesMail } from '../aws/ses-mail';
import { escapeHtml } from '../html';

/** The side effect's name (marker `$DONE#welcome-email`); erasure claims it so an erased customer is never welcomed. */
export const WELCOME_EMAIL_EFFECT = 'welcome-email';
const EFFECT = WELCOME_EMAIL_EFFECT;

export type WelcomeResult = { status: 'sent'; messageId: string } | { status: 'already-sent' } | { status: 'no-consent' } | { status: 'no-email' };

/**
 * Welcomes a new customer who consented to marketing mail, once per customer however often the
 * event is delivered, and records the email on the customer's timeline.
 */
export async function sendWelcomeEmail(deps: { mailer: Pick<SesMail, 'sendSimple'>; once: OnceStore }, event: unknown): Promise<WelcomeResult> {
  const detail = customerCreatedV1.schema.parse(busEventSchema.parse(event).detail);
  const { customerId, name, primaryEmail: email, consent } = detail.data;
  // The flow's Choice state filters on consent too; checking here keeps the rule true for any caller.
  if (consent.marketing !== true) return { status: 'no-consent' };
  if (!email) return { status: 'no-email' };

  const partition = keys.customerPartition(detail.tenantId, customerId);
  if (!(await deps.once.claim(partition, EFFECT, clock.nowIso()))) return { status: 'already-sent' };

  const subject = `Welcome, ${name}`;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.sendSimple({
      to: email,
      subject,
      text: `Hello ${name},\n\nthank you for your interest. We will keep you posted.\n`,
      html: `<p>Hello ${escapeHtml(name)},</p><p>thank you for your interest. We will keep you posted.</p>`,
      tags: { tenantId: detail.tenantId, customerId, kind: EFFECT },
    }));
  } catch (error) {
    await deps.once.release(partition, EFFECT);
    throw error;
  }

  const occurredAt = clock.nowIso();
  const activity: Activity = {
    id: newId(),
    customerId,
    type: 'email',
    occurredAt,
    subject,
    body: null,
    payload: { messageId, direction: 'outbound' },
    actor: { type: 'system', id: 'welcome-flow' },
    loggedAt: occurredAt,
  };
  await deps.once.complete(partition, EFFECT, { messageId }, [
    { ...keys.activity(detail.tenantId, customerId, occurredAt, activity.id), entity: 'Activity', ...activity },
  ]);
  return { status: 'sent', messageId };
}
