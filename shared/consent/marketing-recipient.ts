import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import type { Lead } from '../leads/lead';
import { hasConsent } from './consent-check';

/**
 * Whom one marketing mail goes to (docs/marketing.md, "Audiences"): a customer, at its primary
 * address; a lead, at its own address before it is anyone's customer; or a contact of a company
 * customer (`customerId`), at the contact's address under the contact's own consent. Pure: the
 * senders (an automation, the welcome mail, a campaign's batch) read the profile and apply these.
 */
export type MarketingRecipient = { kind: 'customer' | 'lead'; id: string; customerId?: undefined } | { kind: 'contact'; id: string; customerId: string };

/** What the send rules need to know of a recipient's profile. */
export interface MailFacts {
  /** Still there to be mailed: a customer not erased or merged away, a lead not erased or converted. */
  live: boolean;
  address: string | null;
  consented: boolean;
}

/** A customer profile (or projection of one) that is still there: neither erased nor merged away. */
export const profileIsLive = (profile: { erasedAt?: unknown; mergedInto?: unknown } | undefined): boolean => Boolean(profile && !profile.erasedAt && !profile.mergedInto);

/**
 * A lead is mailed while it is a lead: not erased (a tombstone), not converted (its customer is
 * mailed as one, under the customer's consent).
 */
export const leadIsMailable = (lead: Lead | undefined): lead is Lead => Boolean(lead && !(lead as { erasedAt?: string }).erasedAt && lead.status !== 'converted');

export function customerMailFacts(customer: Customer | undefined, topic: string): MailFacts {
  return { live: profileIsLive(customer), address: customer?.emails[0] ?? null, consented: customer ? hasConsent(customer, topic) : false };
}

/** A lead's consent is the one it gave at the source (or confirmed by double opt-in). */
export function leadMailFacts(lead: Lead | undefined, topic: string): MailFacts {
  return { live: leadIsMailable(lead), address: lead?.email ?? null, consented: lead?.consent?.[topic]?.granted === true };
}

/** A contact is mailed while it exists and its company is live (a merge moves contacts, an erasure deletes them). */
export function contactMailFacts(company: Customer | undefined, contact: Contact | undefined, topic: string): MailFacts {
  return { live: Boolean(contact) && profileIsLive(company), address: contact?.emails[0] ?? null, consented: contact ? hasConsent(contact, topic) : false };
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

/** The recipient's ids as unsubscribe tokens carry them: a lead's token names it in both, a contact's names its company too. */
export function recipientClaims(recipient: MarketingRecipient): { customerId: string; leadId?: string; contactId?: string } {
  if (recipient.kind === 'lead') return { customerId: recipient.id, leadId: recipient.id };
  if (recipient.kind === 'contact') return { customerId: recipient.customerId, contactId: recipient.id };
  return { customerId: recipient.id };
}

/** The recipient's ids as message tags carry them: a lead alone (no customer's timeline), a contact with its company. */
export function recipientTags(recipient: MarketingRecipient): { customerId?: string; leadId?: string; contactId?: string } {
  if (recipient.kind === 'lead') return { leadId: recipient.id };
  if (recipient.kind === 'contact') return { customerId: recipient.customerId, contactId: recipient.id };
  return { customerId: recipient.id };
}

/** The recipient a token or a mail's tags name: a lead when `leadId` is there, a contact when `contactId` is. */
export function recipientOfClaims(claims: { customerId?: string; leadId?: string; contactId?: string }): MarketingRecipient {
  if (claims.leadId) return { kind: 'lead', id: claims.leadId };
  if (claims.contactId) return { kind: 'contact', id: claims.contactId, customerId: claims.customerId! };
  return { kind: 'customer', id: claims.customerId! };
}
