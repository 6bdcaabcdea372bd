import type { MarketingRecipient } from '../consent/marketing-recipient';
import { newId } from '../ids';
import { logInfo } from '../log';
import type { Automation } from './automation';
import type { AutomationReader } from './automation-trigger-repository';
import { automationEmailActivity } from './automation-send';
import { automationSendFromItem, type AutomationSendRecord, type AutomationSendRepository } from './automation-send-repository';
import { type AutomationSendDeps, type AutomationSendResult, sendAutomationEmail } from './automation-send-use-case';
import type { DueHandler } from './marketing-due';

/** Whose timeline a sent mail lands on: the customer's, a contact's company's (naming the contact); a lead has none. */
function timelineOf(recipient: MarketingRecipient): { customerId: string; contactId?: string } | undefined {
  if (recipient.kind === 'lead') return undefined;
  return recipient.kind === 'contact' ? { customerId: recipient.customerId, contactId: recipient.id } : { customerId: recipient.id };
}

/** What the dispatcher and the due sweep need to send an automation's mail and record it. */
export interface AutomationFlowDeps {
  send: AutomationSendDeps;
  sends: Pick<AutomationSendRepository, 'schedule' | 'claimNow' | 'finish'>;
  automations: Pick<AutomationReader, 'get' | 'listEnabled'>;
  /** The app clock (time travel locally). */
  nowIso: () => string;
}

/**
 * Sends a send this caller holds (`leasedSortKey`) and records the outcome: a sent mail with its
 * timeline entry, a skip with its reason (and in the logs). Throws when SES or a write failed:
 * the send stays on the index and is retried when the lease ends.
 */
export async function sendHeldAutomationSend(
  deps: AutomationFlowDeps,
  send: AutomationSendRecord,
  automation: Pick<Automation, 'templateId' | 'topic' | 'offer'>,
  leasedSortKey: string,
  nowIso: string,
): Promise<AutomationSendResult> {
  const result = await sendAutomationEmail(deps.send, { ...send, templateId: automation.templateId, topic: automation.topic, offer: automation.offer, nowIso });
  const details = { ...send, templateId: automation.templateId, topic: automation.topic };
  if (result.outcome === 'sent') {
    // A customer's mail lands on its timeline, a contact's on its company's; a lead has none (its send record is the trace).
    const timeline = timelineOf(send.recipient);
    const activity = timeline ? automationEmailActivity({ ...details, ...timeline }, result, newId(), nowIso) : undefined;
    await deps.sends.finish(send, leasedSortKey, { outcome: 'sent', messageId: result.messageId }, nowIso, activity);
  } else {
    await deps.sends.finish(send, leasedSortKey, { outcome: result.outcome, nextAllowedAt: 'nextAllowedAt' in result ? result.nextAllowedAt : undefined }, nowIso);
    logInfo('automation send skipped', { ...details, outcome: result.outcome });
  }
  return result;
}

/**
 * The marketing-due handler of kind `automation-send`: a delayed send that fell due, or a send
 * whose sender failed to finish it. The automation is read again (strongly consistent): one
 * deleted or disabled meanwhile sends nothing, one edited sends its current template and topic.
 */
export function automationSendDueHandler(deps: AutomationFlowDeps): DueHandler {
  return async (entry, { nowIso, leasedSortKey }) => {
    const send = automationSendFromItem(entry.item);
    const automation = await deps.automations.get(send.tenantId, send.automationId, true);
    if (!automation || !automation.enabled) {
      const outcome = automation ? 'automation-disabled' : 'automation-gone';
      await deps.sends.finish(send, leasedSortKey, { outcome }, nowIso);
      logInfo('automation send skipped', { ...send, outcome });
      return { outcome, removed: true };
    }
    const result = await sendHeldAutomationSend(deps, send, automation, leasedSortKey, nowIso);
    return { outcome: result.outcome, removed: true };
  };
}
