import { hasConsent } from './consent-check';
import type { Customer } from '../customers/customer';
import type { EmailTemplate } from '../templates/email-template';

/**
 * The pure checks of one marketing mail to one customer, whoever sends it (an automation, the
 * welcome mail): the use case (marketing-send-use-case.ts) applies them with the repositories and SES.
 */

/** What a send needs of a template: its parts (the subject for the timeline) and the placeholders to fill. */
export type SendableTemplate = Pick<EmailTemplate, 'id' | 'subject' | 'html' | 'text' | 'placeholders'>;

/** Why a marketing mail to one customer was not sent. */
export const MARKETING_SEND_SKIPS = [
  /** The customer is merged, erased or unknown. */
  'customer-gone',
  'no-address',
  'no-consent',
  'suppressed',
  'capped',
  /** Another offer holds the customer's offer lock (a mail that makes an offer). */
  'offer-locked',
  /** The template was deleted after the sender was set up with it. */
  'template-gone',
] as const;
export type MarketingSendSkip = (typeof MARKETING_SEND_SKIPS)[number];

/**
 * The first reason, in this order, not to mail this customer under `topic` with this template:
 * gone, no address, no consent, template gone. Suppression and the frequency cap need reads and
 * come after (the use case), so the cheap refusals cost no further request.
 */
export function recipientSkip(customer: Customer | undefined, topic: string, template: object | undefined): Exclude<MarketingSendSkip, 'suppressed' | 'capped' | 'offer-locked'> | undefined {
  if (!customer || customer.mergedInto || customer.erasedAt) return 'customer-gone';
  if (!customer.emails[0]) return 'no-address';
  if (!hasConsent(customer, topic)) return 'no-consent';
  if (!template) return 'template-gone';
  return undefined;
}
