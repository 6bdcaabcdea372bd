import { type MarketingSendDeps, type MarketingSendResult, sendMarketingEmail } from '../consent/marketing-send-use-case';
import type { MarketingRecipient } from '../consent/marketing-recipient';
import { automationMailIds, automationSendId } from './automation-send';

export type AutomationSendDeps = MarketingSendDeps;

export interface AutomationSendRequest {
  tenantId: string;
  recipient: MarketingRecipient;
  automationId: string;
  eventId: string;
  templateId: string;
  topic: string;
  /** The offer the mail makes (the automation's), or none. */
  offer?: string | null;
  nowIso: string;
}

export type AutomationSendResult = MarketingSendResult;

/**
 * One marketing mail of an automation to the customer or lead its event is about, or the reason it
 * was not sent, through the one marketing send (sendMarketingEmail): the tenant's stored template,
 * one frequency slot per automation and event (a retry reuses it), and the automation and event on
 * the tags and the unsubscribe link, so the mail's engagement counts on the automation's stats.
 */
export async function sendAutomationEmail(deps: AutomationSendDeps, request: AutomationSendRequest): Promise<AutomationSendResult> {
  return sendMarketingEmail(deps, {
    tenantId: request.tenantId,
    recipient: request.recipient,
    template: { templateId: request.templateId },
    topic: request.topic,
    sendId: automationSendId(request.automationId, request.eventId),
    mailIds: automationMailIds(request.automationId, request.eventId),
    offer: request.offer,
    nowIso: request.nowIso,
  });
}
