import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import type { Activity } from '../activities/activity';
import { clock } from '../clock';
import type { Contact } from '../contacts/contact';
import type { Customer } from '../customers/customer';
import { newId } from '../ids';
import { newEvent } from '../outbox/outbox';
import type { CampaignEngagementRepository } from '../ses-events/campaign-engagement-repository';
import type { AutomationStatsRepository } from '../automations/automation-stats-repository';
import { ConsentChanged, type ConsentRepository } from './consent-repository';
import { ValidationFailed } from '../errors';
import { optOut, UNSUBSCRIBE_SOURCE } from './consent-opt-out';
import type { ConsentRecord } from '../customers/fields';
import { applyPreferences, type PreferenceChange, type PreferenceChoices, topicPreferences } from './preference-centre';
import { readUnsubscribeToken } from './unsubscribe-link';
import type { UnsubscribeView } from './unsubscribe-page';
import type { UnsubscribeClaims } from './unsubscribe-token';
import type { Lead } from '../leads/lead';
import { leadOfLink } from '../leads/lead-consent-use-case';
import { LeadChanged, type LeadRepository } from '../leads/lead-repository';
import { recipientOfClaims } from './marketing-recipient';

export interface UnsubscribeDeps {
  consent: Pick<ConsentRepository, 'recordCustomerOptOut' | 'recordContactOptOut'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined> };
  /** A leads campaign's mail: the lead's own consent. */
  leads: Pick<LeadRepository, 'load' | 'save'>;
  engagement: Pick<CampaignEngagementRepository, 'record'>;
  automationStats: Pick<AutomationStatsRepository, 'recordEngagement'>;
  secret: () => Promise<string>;
}

const ACTOR = { type: 'system', id: UNSUBSCRIBE_SOURCE } as const;
/** Merges chain (A into B, B into C); a token of A follows them this far. */
const MAX_MERGE_HOPS = 5;
const WRITE_ATTEMPTS = 3;

export type UnsubscribeOutcome = 'unsubscribed' | 'already-unsubscribed' | 'gone';

/**
 * POST /unsubscribe/{token}: records the opt-out of the token's topic on the customer (or the
 * contact the mail went to) with source `unsubscribe-link` and an `unsubscribe` timeline entry.
 * Idempotent: an opted-out topic stays as first recorded. A merged customer's token applies to the
 * survivor; an erased or unknown customer has nobody left to mail ('gone'), and the page says
 * "unsubscribed" all the same, so the link reveals nothing.
 *
 * A token that names its campaign also counts the opt-out on that campaign, once per recipient;
 * one that names an automation's send, on that automation, once per send.
 */
export async function unsubscribe(deps: UnsubscribeDeps, token: string | undefined, correlationId: string): Promise<{ outcome: UnsubscribeOutcome; topic: string }> {
  const claims = await readUnsubscribeToken(deps, token);
  const outcome = await withRetries(async () => {
    const recipient = await recipientOf(deps, claims);
    if (!recipient) return 'gone' as const;
    const nowIso = clock.nowIso();
    const consent = optOut(recipient.record.consent, claims.topic, nowIso);
    if (!consent) return 'already-unsubscribed' as const;
    const stored = await storeConsent(deps, claims, recipient, consent, unsubscribeActivity(customerIdOf(recipient, claims), claims, nowIso), nowIso, correlationId);
    return stored ? ('unsubscribed' as const) : ('gone' as const);
  });
  // After the opt-out committed, and on 'already-unsubscribed' too: the recipient used this
  // mail's link, and a click that repeats one whose count failed is how that count heals.
  if (outcome !== 'gone') await countUnsubscribe(deps, claims);
  return { outcome, topic: claims.topic };
}

/**
 * GET /unsubscribe/{token}: what the link's page shows, read and never written. A recipient who is
 * gone (erased, unknown) gets the same "unsubscribed" page as the one-click POST: nothing revealed.
 */
export async function unsubscribeView(deps: Pick<UnsubscribeDeps, 'customers' | 'contacts' | 'leads' | 'secret'>, token: string | undefined): Promise<UnsubscribeView> {
  const claims = await readUnsubscribeToken(deps, token);
  const recipient = await recipientOf(deps, claims);
  return recipient ? viewOf(claims.topic, recipient.record.consent) : { gone: true, topic: claims.topic };
}

/**
 * POST /unsubscribe/{token}/preferences: the preference centre's form. Each change is consent
 * evidence like the one-click opt-out (`source: unsubscribe-link`), with one `consent` timeline
 * entry and, for a customer, `crm.customer.updated.v1`, in one transaction conditioned on the
 * version read. A subscribe the link may not give is a 400 naming the topic. Opting out of the
 * link's topic here counts on the mail's campaign or automation like the one-click POST.
 */
export async function savePreferences(deps: UnsubscribeDeps, token: string | undefined, choices: PreferenceChoices, correlationId: string): Promise<{ view: UnsubscribeView; saved: PreferenceChange[] }> {
  const claims = await readUnsubscribeToken(deps, token);
  const result = await withRetries(async () => {
    const recipient = await recipientOf(deps, claims);
    if (!recipient) return undefined;
    const nowIso = clock.nowIso();
    const applied = applyPreferences(recipient.record.consent, choices, nowIso);
    if ('errors' in applied) throw new ValidationFailed(applied.errors);
    if (applied.changes.length) {
      const stored = await storeConsent(deps, claims, recipient, applied.consent, preferenceActivity(customerIdOf(recipient, claims), claims, applied.changes, nowIso), nowIso, correlationId);
      if (!stored) return undefined;
    }
    return { consent: applied.consent, changes: applied.changes };
  });
  if (!result) return { view: { gone: true, topic: claims.topic }, saved: [] };
  if (result.consent[claims.topic]?.granted === false && choices[claims.topic] === 'out') await countUnsubscribe(deps, claims);
  return { view: viewOf(claims.topic, result.consent), saved: result.changes };
}

const viewOf = (topic: string, consent: Record<string, ConsentRecord>): UnsubscribeView => ({ gone: false, topic, subscribed: consent[topic]?.granted === true, preferences: topicPreferences(consent, topic) });

/** Counts the opt-out on the mail's campaign or automation send, once per recipient or send (the repositories' stamps). */
async function countUnsubscribe(deps: UnsubscribeDeps, claims: UnsubscribeClaims): Promise<void> {
  // The recipient item is the one the campaign mailed (the token's), even if merged since: a
  // contacts campaign's recipient is the contact, any other campaign's the token's customer (or lead).
  if (claims.campaignId) await deps.engagement.record(claims.tenantId, claims.campaignId, claims.contactId ?? claims.customerId, 'unsubscribedAt', clock.nowIso());
  if (claims.automationId && claims.eventId) {
    const mail = { tenantId: claims.tenantId, recipient: recipientOfClaims(claims), automationId: claims.automationId, eventId: claims.eventId };
    await deps.automationStats.recordEngagement(mail, 'unsubscribedAt', clock.nowIso());
  }
}

async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      // A concurrent edit moved the version: read again (the change may even be there by now).
      if (!(error instanceof ConsentChanged) || n >= WRITE_ATTEMPTS) throw error;
    }
  }
}

/** Whose consent the link changes: the customer (the survivor of merges), the contact or the lead the mail went to. */
type Recipient = { kind: 'customer'; record: Customer } | { kind: 'contact'; record: Contact } | { kind: 'lead'; record: Lead & { consent: Record<string, ConsentRecord> } };

async function recipientOf(deps: Pick<UnsubscribeDeps, 'customers' | 'contacts' | 'leads'>, claims: UnsubscribeClaims): Promise<Recipient | undefined> {
  if (claims.contactId) {
    const contact = await deps.contacts.get(claims.tenantId, claims.customerId, claims.contactId);
    return contact ? { kind: 'contact', record: contact } : undefined;
  }
  let customerId = claims.customerId;
  if (claims.leadId) {
    const lead = await leadOfLink(deps.leads, claims.tenantId, claims.leadId);
    if (!lead) return undefined;
    // Converted since the mail: the lead's consent went to its customer, whose it is now.
    if (!lead.convertedCustomerId) return { kind: 'lead', record: { ...lead, consent: lead.consent ?? {} } };
    customerId = lead.convertedCustomerId;
  }
  let customer = await deps.customers.get(claims.tenantId, customerId);
  for (let hop = 0; customer?.mergedInto && hop < MAX_MERGE_HOPS; hop++) customer = await deps.customers.get(claims.tenantId, customer.mergedInto);
  if (!customer || customer.mergedInto || customer.erasedAt) return undefined;
  return { kind: 'customer', record: customer };
}

/** The timeline the entry lands on: the survivor's for a customer, the company's for a contact (a lead has none). */
const customerIdOf = (recipient: Recipient, claims: UnsubscribeClaims) => (recipient.kind === 'customer' ? recipient.record.id : claims.customerId);

/** Stores the recipient's new consent with the entry; false when a contact's company went meanwhile (nobody left to mail). */
async function storeConsent(deps: UnsubscribeDeps, claims: UnsubscribeClaims, recipient: Recipient, consent: Record<string, ConsentRecord>, activity: Activity, nowIso: string, correlationId: string): Promise<boolean> {
  if (recipient.kind === 'customer') {
    const customer = recipient.record;
    const after: Customer = { ...customer, consent, updatedAt: nowIso, updatedBy: UNSUBSCRIBE_SOURCE, version: customer.version + 1 };
    const event = newEvent(customerUpdatedV1, { tenantId: claims.tenantId, actor: ACTOR, correlationId }, { customerId: customer.id, changedFields: ['consent'], version: after.version });
    await deps.consent.recordCustomerOptOut(customer, after, activity, { detailType: customerUpdatedV1.detailType, detail: event });
    return true;
  }
  if (recipient.kind === 'lead') {
    // The evidence is the consent record itself (source `unsubscribe-link`, its time): a lead has no timeline.
    const lead = recipient.record;
    try {
      await deps.leads.save({ ...lead, consent, updatedAt: nowIso, version: lead.version + 1 }, lead.version, [], []);
    } catch (error) {
      if (error instanceof LeadChanged) throw new ConsentChanged();
      throw error;
    }
    return true;
  }
  const contact = recipient.record;
  const after: Contact = { ...contact, consent, updatedAt: nowIso, updatedBy: UNSUBSCRIBE_SOURCE, version: contact.version + 1 };
  try {
    await deps.consent.recordContactOptOut(claims.tenantId, contact, after, activity);
  } catch (error) {
    // The company was merged or erased since: its contacts moved or went, nobody is left to mail here.
    if (error instanceof ConsentChanged && !(await deps.contacts.get(claims.tenantId, claims.customerId, contact.id))) return false;
    throw error;
  }
  return true;
}

/** No address or name in the entry: the topic, the mailing's time and, for a contact, which one. */
function unsubscribeActivity(customerId: string, claims: UnsubscribeClaims, nowIso: string): Activity {
  return {
    id: newId(),
    customerId,
    type: 'unsubscribe',
    occurredAt: nowIso,
    subject: `Unsubscribed from ${claims.topic}`,
    body: null,
    payload: {
      topic: claims.topic,
      source: UNSUBSCRIBE_SOURCE,
      issuedAt: claims.issuedAt,
      ...(claims.contactId ? { contactId: claims.contactId } : {}),
      ...(claims.campaignId ? { campaignId: claims.campaignId } : {}),
      ...(claims.automationId ? { automationId: claims.automationId } : {}),
    },
    actor: ACTOR,
    loggedAt: nowIso,
  };
}

/** One entry per save, naming every topic changed and its new state. */
function preferenceActivity(customerId: string, claims: UnsubscribeClaims, changes: PreferenceChange[], nowIso: string): Activity {
  const words = changes.map((c) => `${c.granted ? 'subscribed to' : 'unsubscribed from'} ${c.topic}`).join(', ');
  return {
    id: newId(),
    customerId,
    type: 'consent',
    occurredAt: nowIso,
    subject: `Preference centre: ${words}`,
    body: null,
    payload: {
      changes: Object.fromEntries(changes.map((c) => [c.topic, c.granted])),
      source: UNSUBSCRIBE_SOURCE,
      linkTopic: claims.topic,
      issuedAt: claims.issuedAt,
      ...(claims.contactId ? { contactId: claims.contactId } : {}),
      ...(claims.campaignId ? { campaignId: claims.campaignId } : {}),
      ...(claims.automationId ? { automationId: claims.automationId } : {}),
    },
    actor: ACTOR,
    loggedAt: nowIso,
  };
}
