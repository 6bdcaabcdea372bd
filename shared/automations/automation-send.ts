import type { Activity } from '../activities/activity';
import { MARKETING_SEND_SKIPS } from '../consent/marketing-send';

export { recipientSkip } from '../consent/marketing-send';

/**
 * The pure decisions of an automation's send (docs/marketing.md, "Automations"): when it is due,
 * whom it may reach, and what the timeline says about it. The use case
 * (automation-send-use-case.ts) applies them with the repositories and SES.
 */

/** The kind of its entries on the marketing-due index (marketing-due.ts). */
export const AUTOMATION_SEND_KIND = 'automation-send';

/** Why a send did not happen; `sent` when it did. */
export const AUTOMATION_SEND_OUTCOMES = [
  'sent',
  ...MARKETING_SEND_SKIPS,
  /** The automation was deleted or disabled before its delayed send fell due. */
  'automation-gone',
  'automation-disabled',
] as const;
export type AutomationSendOutcome = (typeof AUTOMATION_SEND_OUTCOMES)[number];

/** The frequency cap's id for this send: one per automation and event, so a retry is never counted twice. */
export const automationSendId = (automationId: string, eventId: string) => `${automationId}#${eventId}`;

/** Ids a tag, a token and the send record's key all carry unchanged. */
const MAIL_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The ids a mail carries back (tags, unsubscribe token) to count on the automation's stats. An
 * event id outside tag and token characters (another producer's) would come back changed or
 * refuse the token: such a mail goes out all the same, uncounted by its engagement.
 */
export function automationMailIds(automationId: string, eventId: string): { automationId: string; eventId: string } | Record<string, never> {
  return MAIL_ID.test(automationId) && MAIL_ID.test(eventId) ? { automationId, eventId } : {};
}

const addSeconds = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** When the automation's send for an event is due: `occurredAt + delay`, and at once when that has already passed (a late delivery). */
export function planAutomationSend(occurredAt: string, delaySeconds: number, nowIso: string): { when: 'now' } | { when: 'later'; dueAt: string } {
  const dueAt = addSeconds(occurredAt, delaySeconds);
  return Date.parse(dueAt) <= Date.parse(nowIso) ? { when: 'now' } : { when: 'later', dueAt };
}

/** The timeline entry of a sent automation mail: system actor `automation`, like the welcome mail's `email` entry; a contact's on its company's timeline. */
export function automationEmailActivity(
  send: { customerId: string; contactId?: string; automationId: string; eventId: string; eventType: string; templateId: string; topic: string },
  mail: { messageId: string; subject: string },
  id: string,
  nowIso: string,
): Activity {
  return {
    id,
    customerId: send.customerId,
    type: 'email',
    occurredAt: nowIso,
    subject: mail.subject,
    body: null,
    payload: {
      messageId: mail.messageId,
      direction: 'outbound',
      automationId: send.automationId,
      templateId: send.templateId,
      topic: send.topic,
      eventId: send.eventId,
      eventType: send.eventType,
      ...(send.contactId ? { contactId: send.contactId } : {}),
    },
    actor: { type: 'system', id: 'automation' },
    loggedAt: nowIso,
  };
}
