import type { SesMail } from '../aws/ses-mail';
import type { Customer } from '../customers/customer';
import { automationMailIds, type AutomationSendOutcome, automationSendId, recipientSkip } from './automation-send';
import type { SendableTemplate } from './automation-send-read-repository';
import type { FrequencyCapRepository } from '../consent/frequency-cap-repository';
import type { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { offerLockUntil } from '../consent/offer-lock';
import type { OfferLockRepository } from '../consent/offer-lock-repository';
import type { SendRateLimiter } from '../campaigns/send-rate-repository';
import { sesTemplateName } from '../templates/ses-template-name';
import type { SuppressionRepository } from '../consent/suppression-repository';
import { renderTemplate, templateData, withUnsubscribeLink } from '../templates/template-placeholders';
import { signUnsubscribeToken, unsubscribeHeaders } from '../consent/unsubscribe-token';

export interface AutomationSendDeps {
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  templates: { get(tenantId: string, templateId: string): Promise<SendableTemplate | undefined> };
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
  frequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  offers: Pick<OfferLockRepository, 'acquireOfferLock' | 'releaseOfferLock'>;
  rate: Pick<SendRateLimiter, 'acquire'>;
  mailer: Pick<SesMail, 'sendTemplated'>;
  unsubscribeSecret: () => Promise<string>;
  /** Where unsubscribe links point: the public HTTP API. */
  apiBaseUrl: string;
  stage: string;
}

export interface AutomationSendRequest {
  tenantId: string;
  customerId: string;
  automationId: string;
  eventId: string;
  templateId: string;
  topic: string;
  /** The offer the mail makes (the automation's), or none. */
  offer?: string | null;
  nowIso: string;
}

export type AutomationSendResult =
  | { outcome: 'sent'; messageId: string; subject: string }
  | { outcome: 'capped'; nextAllowedAt: string }
  | { outcome: Exclude<AutomationSendOutcome, 'sent' | 'capped'> };

/**
 * One marketing mail of an automation to one customer, or the reason it was not sent. In order:
 * the customer is live, has an address, consented to the topic, the template exists; the address
 * is not suppressed; the frequency cap has room (one slot per automation and event, so a retry
 * reuses it); the SES account's send rate has room. Then SendEmail with the stored SES template,
 * the recipient's data, the signed one-click unsubscribe headers and the message tags. A failed
 * SES call gives the frequency slot back and throws: the caller leaves the send to be retried.
 */
export async function sendAutomationEmail(deps: AutomationSendDeps, request: AutomationSendRequest): Promise<AutomationSendResult> {
  const { tenantId, customerId, topic, nowIso } = request;
  const [customer, template] = await Promise.all([deps.customers.get(tenantId, customerId), deps.templates.get(tenantId, request.templateId)]);
  const skip = recipientSkip(customer, topic, template);
  if (skip || !customer || !template) return { outcome: skip ?? 'customer-gone' };
  const address = customer.emails[0]!;
  if ((await deps.suppressions.suppressedAmong(tenantId, [address])).size > 0) return { outcome: 'suppressed' };

  const settings = await deps.settings.get(tenantId);
  const sendId = automationSendId(request.automationId, request.eventId);
  const reservation = await deps.frequency.reserveMarketingSend(tenantId, customerId, sendId, nowIso, settings.frequencyCap);
  if (!reservation.reserved) return { outcome: 'capped', nextAllowedAt: reservation.nextAllowedAt };
  if (request.offer) {
    const lock = await deps.offers.acquireOfferLock(tenantId, customerId, request.offer, offerLockUntil(nowIso, settings.offerLockDays), nowIso);
    if (!lock.acquired) {
      await deps.frequency.releaseMarketingSend(tenantId, customerId, sendId);
      return { outcome: 'offer-locked' };
    }
  }

  try {
    await deps.rate.acquire(1);
    const mail = automationMailIds(request.automationId, request.eventId);
    const token = signUnsubscribeToken({ tenantId, customerId, topic, issuedAt: nowIso, ...mail }, await deps.unsubscribeSecret());
    const link = unsubscribeHeaders(deps.apiBaseUrl, token);
    const data = templateData(template.placeholders, customer, null, link.url);
    const { messageId } = await deps.mailer.sendTemplated({
      to: address,
      templateName: sesTemplateName(deps.stage, tenantId, template.id),
      data,
      headers: link.headers,
      // The automation and event name the send record: SES events of this mail count on the automation's stats.
      tags: { tenantId, customerId, topic, ...mail },
    });
    // The subject as SES rendered it, for the timeline: the preview's substitution is SES's by construction.
    return { outcome: 'sent', messageId, subject: renderTemplate(withUnsubscribeLink(template), data).subject };
  } catch (error) {
    await deps.frequency.releaseMarketingSend(tenantId, customerId, sendId);
    if (request.offer) await deps.offers.releaseOfferLock(tenantId, customerId, request.offer);
    throw error;
  }
}
