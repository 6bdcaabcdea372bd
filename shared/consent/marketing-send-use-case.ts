import type { SesMail } from '../aws/ses-mail';
import type { MessageTags } from '../aws/ses-tags';
import type { SendRateLimiter } from '../campaigns/send-rate-repository';
import type { Customer } from '../customers/customer';
import { sesTemplateName } from '../templates/ses-template-name';
import { renderTemplate, templateData, withUnsubscribeLink } from '../templates/template-placeholders';
import type { FrequencyCapRepository } from './frequency-cap-repository';
import { type MarketingSendSkip, recipientSkip, type SendableTemplate } from './marketing-send';
import type { MarketingSettingsRepository } from './marketing-settings-repository';
import { offerLockUntil } from './offer-lock';
import type { OfferLockRepository } from './offer-lock-repository';
import type { SuppressionRepository } from './suppression-repository';
import { signUnsubscribeToken, type UnsubscribeClaims, unsubscribeHeaders } from './unsubscribe-token';

export interface MarketingSendDeps {
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  templates: { get(tenantId: string, templateId: string): Promise<SendableTemplate | undefined> };
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
  frequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  offers: Pick<OfferLockRepository, 'acquireOfferLock' | 'releaseOfferLock'>;
  rate: Pick<SendRateLimiter, 'acquire'>;
  mailer: Pick<SesMail, 'sendTemplated' | 'sendSimple'>;
  unsubscribeSecret: () => Promise<string>;
  /** Where unsubscribe links point: the public HTTP API. */
  apiBaseUrl: string;
  stage: string;
}

export interface MarketingSendRequest {
  tenantId: string;
  customerId: string;
  /**
   * A template of the tenant (sent as its stored SES template), or content the CRM ships (a
   * built-in default, which has no SES template: rendered here exactly as SES would render it).
   */
  template: { templateId: string } | { builtIn: SendableTemplate };
  topic: string;
  /** The frequency cap's id of this send, stable per recipient, so a retry reuses its slot. */
  sendId: string;
  /** Ids the unsubscribe link and the tags carry back, to count the mail's engagement on its sender. */
  mailIds?: Pick<UnsubscribeClaims, 'automationId' | 'eventId'>;
  /** Further tags (e.g. `kind` of a system mail). */
  tags?: Pick<MessageTags, 'kind'>;
  /** The offer the mail makes, or none. */
  offer?: string | null;
  nowIso: string;
}

export type MarketingSendResult =
  | { outcome: 'sent'; messageId: string; subject: string }
  | { outcome: 'capped'; nextAllowedAt: string }
  | { outcome: Exclude<MarketingSendSkip, 'capped'> };

/**
 * One marketing mail to one customer, or the reason it was not sent: the one path of automations
 * and the welcome mail. In order: the customer is live, has an address, consented to the topic,
 * the template exists; the address is not suppressed; the frequency cap has room; the offer lock
 * (when the mail makes an offer); the SES account's send rate has room. Then SendEmail with the
 * recipient's data, the signed one-click unsubscribe headers and the message tags. A failed SES
 * call gives the frequency slot (and the offer lock) back and throws: the caller retries.
 */
export async function sendMarketingEmail(deps: MarketingSendDeps, request: MarketingSendRequest): Promise<MarketingSendResult> {
  const { tenantId, customerId, topic, nowIso, sendId } = request;
  const source = request.template;
  const [customer, template] = await Promise.all([
    deps.customers.get(tenantId, customerId),
    'builtIn' in source ? source.builtIn : deps.templates.get(tenantId, source.templateId),
  ]);
  const skip = recipientSkip(customer, topic, template);
  if (skip || !customer || !template) return { outcome: skip ?? 'customer-gone' };
  const address = customer.emails[0]!;
  if ((await deps.suppressions.suppressedAmong(tenantId, [address])).size > 0) return { outcome: 'suppressed' };

  const settings = await deps.settings.get(tenantId);
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
    const mailIds = request.mailIds ?? {};
    const token = signUnsubscribeToken({ tenantId, customerId, topic, issuedAt: nowIso, ...mailIds }, await deps.unsubscribeSecret());
    const link = unsubscribeHeaders(deps.apiBaseUrl, token);
    const data = templateData(template.placeholders, customer, null, link.url);
    // The subject as SES renders it, for the timeline: the preview's substitution is SES's by construction.
    const rendered = renderTemplate(withUnsubscribeLink(template), data);
    const tags: MessageTags = { tenantId, customerId, topic, ...mailIds, ...request.tags };
    const { messageId } =
      'builtIn' in source
        ? await deps.mailer.sendSimple({ to: address, ...rendered, headers: link.headers, tags })
        : await deps.mailer.sendTemplated({ to: address, templateName: sesTemplateName(deps.stage, tenantId, template.id), data, headers: link.headers, tags });
    return { outcome: 'sent', messageId, subject: rendered.subject };
  } catch (error) {
    await deps.frequency.releaseMarketingSend(tenantId, customerId, sendId);
    if (request.offer) await deps.offers.releaseOfferLock(tenantId, customerId, request.offer);
    throw error;
  }
}
