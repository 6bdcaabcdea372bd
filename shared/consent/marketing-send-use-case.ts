import type { SesMail } from '../aws/ses-mail';
import type { MessageTags } from '../aws/ses-tags';
import type { SendRateLimiter } from '../campaigns/send-rate-repository';
import type { Customer } from '../customers/customer';
import type { Contact } from '../contacts/contact';
import { contactCapHolder } from '../keys';
import type { Lead } from '../leads/lead';
import { sesTemplateName } from '../templates/ses-template-name';
import { leadTemplateData, renderTemplate, type TemplateData, templateData, withUnsubscribeLink } from '../templates/template-placeholders';
import type { FrequencyCapRepository } from './frequency-cap-repository';
import { contactMailFacts, customerMailFacts, leadMailFacts, type MailFacts, type MarketingRecipient, recipientClaims, recipientTags } from './marketing-recipient';
import { GONE_SKIP, type MarketingSendSkip, recipientSkip, type SendableTemplate } from './marketing-send';
import type { MarketingSettingsRepository } from './marketing-settings-repository';
import { offerLockUntil } from './offer-lock';
import type { OfferLockRepository } from './offer-lock-repository';
import type { SuppressionRepository } from './suppression-repository';
import { signUnsubscribeToken, type UnsubscribeClaims, unsubscribeHeaders } from './unsubscribe-token';

export interface MarketingSendDeps {
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  leads: { get(tenantId: string, leadId: string): Promise<Lead | undefined> };
  contacts: {
    get(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined>;
    /** A company's first `limit` contacts: whom an automation with audience `contacts` mails. */
    list(tenantId: string, customerId: string, limit: number): Promise<Contact[]>;
  };
  templates: { get(tenantId: string, templateId: string): Promise<SendableTemplate | undefined> };
  /** A consistent read, just before SES: is the recipient still there (not erased, merged, converted or removed)? */
  stillLive(tenantId: string, recipient: MarketingRecipient): Promise<boolean>;
  suppressions: Pick<SuppressionRepository, 'suppressedAmong'>;
  settings: Pick<MarketingSettingsRepository, 'get'>;
  /** Customers' frequency caps. */
  frequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  /** Leads' own frequency caps (their partition's item). */
  leadFrequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
  /** Contacts' own frequency caps (an item in their company's partition), keyed by `contactCapHolder`. */
  contactFrequency: Pick<FrequencyCapRepository, 'reserveMarketingSend' | 'releaseMarketingSend'>;
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
  recipient: MarketingRecipient;
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

/** The recipient's profile as the rules and the template see it. */
interface LoadedRecipient {
  facts: MailFacts;
  data: (placeholders: readonly string[], unsubscribeUrl: string) => TemplateData;
}

async function loadRecipient(deps: MarketingSendDeps, tenantId: string, recipient: MarketingRecipient, topic: string): Promise<LoadedRecipient> {
  if (recipient.kind === 'contact') {
    const [company, contact] = await Promise.all([deps.customers.get(tenantId, recipient.customerId), deps.contacts.get(tenantId, recipient.customerId, recipient.id)]);
    return { facts: contactMailFacts(company, contact, topic), data: (placeholders, url) => templateData(placeholders, company!, contact!, url) };
  }
  if (recipient.kind === 'lead') {
    const lead = await deps.leads.get(tenantId, recipient.id);
    return { facts: leadMailFacts(lead, topic), data: (placeholders, url) => leadTemplateData(placeholders, lead!, url) };
  }
  const customer = await deps.customers.get(tenantId, recipient.id);
  return { facts: customerMailFacts(customer, topic), data: (placeholders, url) => templateData(placeholders, customer!, null, url) };
}

/**
 * One marketing mail to one recipient (a customer or a lead), or the reason it was not sent: the
 * one path of automations and the welcome mail. In order: the recipient is live, has an address,
 * consented to the topic, the template exists; the address is not suppressed; the recipient's
 * frequency cap has room; the offer lock (when the mail makes an offer: customers only); the SES
 * account's send rate has room; a consistent read that the recipient is still live. Then SendEmail with the recipient's data, the signed one-click
 * unsubscribe headers and the message tags. A failed SES call gives the frequency slot (and the
 * offer lock) back and throws: the caller retries.
 */
export async function sendMarketingEmail(deps: MarketingSendDeps, request: MarketingSendRequest): Promise<MarketingSendResult> {
  const { tenantId, recipient, topic, nowIso, sendId } = request;
  const source = request.template;
  const [loaded, template] = await Promise.all([
    loadRecipient(deps, tenantId, recipient, topic),
    'builtIn' in source ? source.builtIn : deps.templates.get(tenantId, source.templateId),
  ]);
  const skip = recipientSkip(recipient, loaded.facts, template);
  if (skip || !template) return { outcome: skip ?? 'template-gone' };
  if (request.offer && recipient.kind !== 'customer') return { outcome: 'offer-customers-only' };
  const address = loaded.facts.address!;
  if ((await deps.suppressions.suppressedAmong(tenantId, [address])).size > 0) return { outcome: 'suppressed' };

  const settings = await deps.settings.get(tenantId);
  const { frequency, holder } = capOf(deps, recipient);
  const reservation = await frequency.reserveMarketingSend(tenantId, holder, sendId, nowIso, settings.frequencyCap);
  if (!reservation.reserved) return { outcome: 'capped', nextAllowedAt: reservation.nextAllowedAt };
  if (request.offer) {
    const lock = await deps.offers.acquireOfferLock(tenantId, recipient.id, request.offer, offerLockUntil(nowIso, settings.offerLockDays), nowIso);
    if (!lock.acquired) {
      await frequency.releaseMarketingSend(tenantId, holder, sendId);
      return { outcome: 'offer-locked' };
    }
  }

  try {
    await deps.rate.acquire(1);
    // Waiting for the send rate can take seconds: an erasure (or merge, conversion, removal)
    // committed meanwhile mails nobody. What is left is the milliseconds between this read and SES.
    if (!(await deps.stillLive(tenantId, recipient))) {
      await frequency.releaseMarketingSend(tenantId, holder, sendId);
      if (request.offer) await deps.offers.releaseOfferLock(tenantId, recipient.id, request.offer);
      return { outcome: GONE_SKIP[recipient.kind] };
    }
    const mailIds = request.mailIds ?? {};
    const ids = recipientClaims(recipient);
    const token = signUnsubscribeToken({ tenantId, ...ids, topic, issuedAt: nowIso, ...mailIds }, await deps.unsubscribeSecret());
    const link = unsubscribeHeaders(deps.apiBaseUrl, token);
    const data = loaded.data(template.placeholders, link.url);
    // The subject as SES renders it, for the timeline: the preview's substitution is SES's by construction.
    const rendered = renderTemplate(withUnsubscribeLink(template), data);
    // A lead's mail is tagged with the lead alone: SES events then score it, and write no customer's timeline.
    const tags: MessageTags = { tenantId, ...recipientTags(recipient), topic, ...mailIds, ...request.tags };
    const { messageId } =
      'builtIn' in source
        ? await deps.mailer.sendSimple({ to: address, ...rendered, headers: link.headers, tags })
        : await deps.mailer.sendTemplated({ to: address, templateName: sesTemplateName(deps.stage, tenantId, template.id), data, headers: link.headers, tags });
    return { outcome: 'sent', messageId, subject: rendered.subject };
  } catch (error) {
    await frequency.releaseMarketingSend(tenantId, holder, sendId);
    if (request.offer) await deps.offers.releaseOfferLock(tenantId, recipient.id, request.offer);
    throw error;
  }
}

/** The cap a recipient keeps, and its holder's id there: its own (a customer's, a lead's), or a contact's in its company's partition. */
function capOf(deps: MarketingSendDeps, recipient: MarketingRecipient) {
  if (recipient.kind === 'contact') return { frequency: deps.contactFrequency, holder: contactCapHolder(recipient.customerId, recipient.id) };
  return { frequency: recipient.kind === 'lead' ? deps.leadFrequency : deps.frequency, holder: recipient.id };
}
