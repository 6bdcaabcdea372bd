import type { Customer } from '../customers/customer';
import type { Lead } from '../leads/lead';
import { hasConsent } from './consent-check';

/**
 * Whom one marketing mail goes to (docs/marketing.md, "Audiences"): a customer, at its primary
 * address, or a lead, at its own address before it is anyone's customer. Pure: the senders (an
 * automation, the welcome mail, a campaign's batch) read the profile and apply these.
 */
export type MarketingRecipient = { kind: 'customer' | 'lead'; id: string };

/** What the send rules need to know of a recipient's profile. */
export interface MailFacts {
  /** Still there to be mailed: a customer not erased or merged away, a lead not erased or converted. */
  live: boolean;
  address: string | null;
  consented: boolean;
}

/**
 * A lead is mailed while it is a lead: not erased (a tombstone), not converted (its customer is
 * mailed as one, under the customer's consent).
 */
export const leadIsMailable = (lead: Lead | undefined): lead is Lead => Boolean(lead && !(lead as { erasedAt?: string }).erasedAt && lead.status !== 'converted');

export function customerMailFacts(customer: Customer | undefined, topic: string): MailFacts {
  const live = Boolean(customer && !customer.mergedInto && !customer.erasedAt);
  return { live, address: customer?.emails[0] ?? null, consented: customer ? hasConsent(customer, topic) : false };
}

/** A lead's consent is the one it gave at the source (or confirmed by double opt-in). */
export function leadMailFacts(lead: Lead | undefined, topic: string): MailFacts {
  return { live: leadIsMailable(lead), address: lead?.email ?? null, consented: lead?.consent?.[topic]?.granted === true };
}

/** Ids as keys, message tags and unsubscribe tokens carry them unchanged. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Whom a domain event is about, for the automations: its customer (`data.customerId`) first, so a
 * lead's conversion or a capture that matched a customer mails the customer; else its lead
 * (`data.leadId`: created, qualified, nurtured...). Undefined when it names neither.
 */
export function marketingRecipientOf(data: unknown): MarketingRecipient | undefined {
  const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const id = (value: unknown) => (typeof value === 'string' && ID.test(value) ? value : undefined);
  const customerId = id(fields.customerId);
  if (customerId) return { kind: 'customer', id: customerId };
  const leadId = id(fields.leadId);
  return leadId ? { kind: 'lead', id: leadId } : undefined;
}

/** The recipient's ids as unsubscribe tokens and message tags carry them: a lead's token names it in both. */
export const recipientClaims = (recipient: MarketingRecipient): { customerId: string; leadId?: string } =>
  recipient.kind === 'lead' ? { customerId: recipient.id, leadId: recipient.id } : { customerId: recipient.id };

/** The recipient a token or a mail's tags name: a lead when `leadId` is there. */
export const recipientOfClaims = (claims: { customerId?: string; leadId?: string }): MarketingRecipient =>
  claims.leadId ? { kind: 'lead', id: claims.leadId } : { kind: 'customer', id: claims.customerId! };
