import type { EmailTemplate } from '../templates/email-template';
import type { MailFacts, MarketingRecipient } from './marketing-recipient';

/**
 * The pure checks of one marketing mail to one recipient (a customer or a lead), whoever sends it
 * (an automation, the welcome mail): the use case (marketing-send-use-case.ts) applies them with
 * the repositories and SES.
 */

/** What a send needs of a template: its parts (the subject for the timeline) and the placeholders to fill. */
export type SendableTemplate = Pick<EmailTemplate, 'id' | 'subject' | 'html' | 'text' | 'placeholders'>;

/** Why a marketing mail to one recipient was not sent. */
export const MARKETING_SEND_SKIPS = [
  /** The customer is merged, erased or unknown. */
  'customer-gone',
  /** The lead is erased, converted (a customer now) or unknown. */
  'lead-gone',
  /** The contact was removed, or its company merged or erased. */
  'contact-gone',
  'no-address',
  'no-consent',
  'suppressed',
  'capped',
  /** Another offer holds the customer's offer lock (a mail that makes an offer). */
  'offer-locked',
  /** The template was deleted after the sender was set up with it. */
  'template-gone',
  /** The mail makes an offer, and offers (their lock) are a customer's: a lead or a contact is not sent one. */
  'offer-customers-only',
] as const;
export type MarketingSendSkip = (typeof MARKETING_SEND_SKIPS)[number];

/** The skip of a recipient that is no longer there, by its kind. */
export const GONE_SKIP = { customer: 'customer-gone', lead: 'lead-gone', contact: 'contact-gone' } as const satisfies Record<MarketingRecipient['kind'], MarketingSendSkip>;

/**
 * The first reason, in this order, not to mail this recipient with this template: gone, no
 * address, no consent (the facts are taken under the mail's topic), template gone. Suppression and
 * the frequency cap need reads and come after (the use case), so the cheap refusals cost no
 * further request.
 */
export function recipientSkip(
  recipient: Pick<MarketingRecipient, 'kind'>,
  facts: MailFacts,
  template: object | undefined,
): Exclude<MarketingSendSkip, 'suppressed' | 'capped' | 'offer-locked' | 'offer-customers-only'> | undefined {
  if (!facts.live) return GONE_SKIP[recipient.kind];
  if (!facts.address) return 'no-address';
  if (!facts.consented) return 'no-consent';
  if (!template) return 'template-gone';
  return undefined;
}
