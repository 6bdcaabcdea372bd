import { anyEnvelopeSchema, busEventSchema } from '../../events/envelope';
import { logError, logInfo } from '../log';
import { planAutomationSend } from './automation-send';
import { type AutomationFlowDeps, sendHeldAutomationSend } from './automation-send-flow-use-cases';
import { type MarketingRecipient, marketingRecipientOf } from '../consent/marketing-recipient';
import { matchingAutomations } from './automation-matching';

/** What became of one matching automation: a send outcome, or `scheduled`, `duplicate` (a redelivery), `failed` (retried by the sweep). */
export interface DispatchedSend {
  automationId: string;
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
 * pattern against the whole bus event, and for each match sends the template now, or records a
 * send due at `occurredAt + delay` on the marketing-due index. Each send is recorded once per automation and event id (a conditional
 * Put), so a redelivered or re-published event sends nothing twice. A failing send does not fail
 * the event: its record stays on the index and the due sweep retries it.
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
    const nowIso = deps.nowIso();
    const send = { tenantId, recipient, automationId: automation.id, eventId, eventType: bus.data['detail-type'], occurredAt };
    const plan = planAutomationSend(occurredAt, automation.delay, nowIso);
    if (plan.when === 'later') {
      const scheduled = await deps.sends.schedule(send, plan.dueAt, nowIso);
      sends.push({ automationId: automation.id, outcome: scheduled.claimed ? 'scheduled' : scheduled.reason, dueAt: plan.dueAt });
      continue;
    }
    const claim = await deps.sends.claimNow(send, nowIso);
    if (!claim.claimed) {
      sends.push({ automationId: automation.id, outcome: claim.reason });
      continue;
    }
    try {
      const result = await sendHeldAutomationSend(deps, send, automation, claim.leasedSortKey, nowIso);
      sends.push({ automationId: automation.id, outcome: result.outcome, ...('messageId' in result ? { messageId: result.messageId } : {}) });
    } catch (error) {
      logError('automation send failed; the due sweep retries it', error, { tenantId, recipient, automationId: automation.id, eventId });
      sends.push({ automationId: automation.id, outcome: 'failed' });
    }
  }
  if (sends.length) logInfo('automations dispatched', { eventId, tenantId, recipient, sends });
  return { eventId, recipient, sends };
}
