import { anyEnvelopeSchema, busEventSchema } from '../../events/envelope';
import { logError, logInfo } from '../log';
import { planAutomationSend } from './automation-send';
import { type AutomationFlowDeps, sendHeldAutomationSend } from './automation-send-flow-use-cases';
import { type MarketingRecipient, marketingRecipientOf } from '../consent/marketing-recipient';
import { type AutomationAudience, MAX_CONTACTS_PER_EVENT } from './automation';
import { matchingAutomations } from './automation-matching';
import type { AutomationSendRecord } from './automation-send-repository';
import type { AutomationTrigger } from './automation-trigger-repository';

/** What became of one matching automation: a send outcome, or `scheduled`, `duplicate` (a redelivery), `failed` (retried by the sweep). */
export interface DispatchedSend {
  automationId: string;
  /** The contact mailed, for an automation whose audience is the company's contacts. */
  contactId?: string;
  outcome: string;
  dueAt?: string;
  messageId?: string;
}

export interface DispatchResult {
  eventId?: string;
  /** The customer or lead the event is about, whom its automations mail. */
  recipient?: MarketingRecipient;
  /** Why the event was not looked at: not a CRM envelope, or no customer or lead to mail. */
  ignored?: 'not-an-envelope' | 'no-recipient';
  sends: DispatchedSend[];
}

/**
 * The automations dispatcher (docs/marketing.md, "Automations"): the one target of the one rule
 * that routes every CRM domain event here. For an event about a customer or a lead (the customer
 * first, marketingRecipientOf) it reads the tenant's enabled automations (one Query), matches each
 * pattern against the whole bus event, and for each match and recipient (the event's subject, or
 * the contacts of its company: the automation's audience) sends the template now, or records a
 * send due at `occurredAt + delay` on the marketing-due index. Each send is recorded once per
 * automation, event id and recipient (a conditional Put), so a redelivered or re-published event
 * sends nothing twice. A failing send does not fail the event: its record stays on the index and
 * the due sweep retries it.
 */
export async function dispatchAutomations(deps: AutomationFlowDeps, event: unknown): Promise<DispatchResult> {
  const bus = busEventSchema.safeParse(event);
  const envelope = bus.success ? anyEnvelopeSchema.safeParse(bus.data.detail) : undefined;
  if (!bus.success || !envelope?.success) return { ignored: 'not-an-envelope', sends: [] };
  const { id: eventId, tenantId, occurredAt, data } = envelope.data;
  const recipient = marketingRecipientOf(data);
  if (!recipient) return { eventId, ignored: 'no-recipient', sends: [] };

  const matched = matchingAutomations(await deps.automations.listEnabled(tenantId), event);
  const sends: DispatchedSend[] = [];
  for (const automation of matched) {
    for (const to of await recipientsOf(deps, tenantId, recipient, automation.audience)) {
      sends.push(await dispatchOne(deps, { tenantId, recipient: to, automationId: automation.id, eventId, eventType: bus.data['detail-type'], occurredAt }, automation));
    }
  }
  if (sends.length) logInfo('automations dispatched', { eventId, tenantId, recipient, sends });
  return { eventId, recipient, sends };
}

/**
 * Whom one automation mails for the event: its subject (the customer or lead it names), or the
 * contacts of the customer it names (the first MAX_CONTACTS_PER_EVENT; each one's own consent and
 * cap decide). A lead has no contacts.
 */
async function recipientsOf(deps: AutomationFlowDeps, tenantId: string, subject: MarketingRecipient, audience: AutomationAudience): Promise<MarketingRecipient[]> {
  if (audience === 'subject') return [subject];
  if (subject.kind !== 'customer') return [];
  const contacts = await deps.send.contacts.list(tenantId, subject.id, MAX_CONTACTS_PER_EVENT);
  return contacts.map((contact) => ({ kind: 'contact', id: contact.id, customerId: subject.id }));
}

/** One send of one automation for the event: now, or recorded for later; recorded once whatever happens. */
async function dispatchOne(deps: AutomationFlowDeps, send: AutomationSendRecord, automation: AutomationTrigger): Promise<DispatchedSend> {
  const nowIso = deps.nowIso();
  const whom = send.recipient.kind === 'contact' ? { contactId: send.recipient.id } : {};
  const plan = planAutomationSend(send.occurredAt, automation.delay, nowIso);
  if (plan.when === 'later') {
    const scheduled = await deps.sends.schedule(send, plan.dueAt, nowIso);
    return { automationId: automation.id, ...whom, outcome: scheduled.claimed ? 'scheduled' : scheduled.reason, dueAt: plan.dueAt };
  }
  const claim = await deps.sends.claimNow(send, nowIso);
  if (!claim.claimed) return { automationId: automation.id, ...whom, outcome: claim.reason };
  try {
    const result = await sendHeldAutomationSend(deps, send, automation, claim.leasedSortKey, nowIso);
    return { automationId: automation.id, ...whom, outcome: result.outcome, ...('messageId' in result ? { messageId: result.messageId } : {}) };
  } catch (error) {
    logError('automation send failed; the due sweep retries it', error, { tenantId: send.tenantId, recipient: send.recipient, automationId: automation.id, eventId: send.eventId });
    return { automationId: automation.id, ...whom, outcome: 'failed' };
  }
}
