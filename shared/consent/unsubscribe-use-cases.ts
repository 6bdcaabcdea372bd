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
import { optOut, UNSUBSCRIBE_SOURCE } from './consent-opt-out';
import { readUnsubscribeToken } from './unsubscribe-link';
import type { UnsubscribeClaims } from './unsubscribe-token';

export interface UnsubscribeDeps {
  consent: Pick<ConsentRepository, 'recordCustomerOptOut' | 'recordContactOptOut'>;
  customers: { get(tenantId: string, customerId: string): Promise<Customer | undefined> };
  contacts: { get(tenantId: string, customerId: string, contactId: string): Promise<Contact | undefined> };
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
  const outcome = await optOutWithRetries(deps, claims, correlationId);
  // After the opt-out committed, and on 'already-unsubscribed' too: the recipient used this
  // campaign's link, and a click that repeats one whose count failed is how that count heals. The
  // recipient item is the customer the campaign mailed (the token's), even if merged since.
  if (claims.campaignId && outcome !== 'gone') await deps.engagement.record(claims.tenantId, claims.campaignId, claims.customerId, 'unsubscribedAt', clock.nowIso());
  // The same for an automation's mail: its send record takes the stamp, once.
  if (claims.automationId && claims.eventId && outcome !== 'gone') {
    const mail = { tenantId: claims.tenantId, customerId: claims.customerId, automationId: claims.automationId, eventId: claims.eventId };
    await deps.automationStats.recordEngagement(mail, 'unsubscribedAt', clock.nowIso());
  }
  return { outcome, topic: claims.topic };
}

async function optOutWithRetries(deps: UnsubscribeDeps, claims: UnsubscribeClaims, correlationId: string): Promise<UnsubscribeOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return claims.contactId ? await contactOptOut(deps, claims, claims.contactId) : await customerOptOut(deps, claims, correlationId);
    } catch (error) {
      // A concurrent edit moved the version: read again (the opt-out may even be there by now).
      if (!(error instanceof ConsentChanged) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

async function customerOptOut(deps: UnsubscribeDeps, claims: UnsubscribeClaims, correlationId: string): Promise<UnsubscribeOutcome> {
  let customer = await deps.customers.get(claims.tenantId, claims.customerId);
  for (let hop = 0; customer?.mergedInto && hop < MAX_MERGE_HOPS; hop++) customer = await deps.customers.get(claims.tenantId, customer.mergedInto);
  if (!customer || customer.mergedInto || customer.erasedAt) return 'gone';
  const nowIso = clock.nowIso();
  const consent = optOut(customer.consent, claims.topic, nowIso);
  if (!consent) return 'already-unsubscribed';
  const after: Customer = { ...customer, consent, updatedAt: nowIso, updatedBy: UNSUBSCRIBE_SOURCE, version: customer.version + 1 };
  const event = newEvent(customerUpdatedV1, { tenantId: claims.tenantId, actor: ACTOR, correlationId }, { customerId: customer.id, changedFields: ['consent'], version: after.version });
  await deps.consent.recordCustomerOptOut(customer, after, unsubscribeActivity(customer.id, claims, nowIso), { detailType: customerUpdatedV1.detailType, detail: event });
  return 'unsubscribed';
}

async function contactOptOut(deps: UnsubscribeDeps, claims: UnsubscribeClaims, contactId: string): Promise<UnsubscribeOutcome> {
  const contact = await deps.contacts.get(claims.tenantId, claims.customerId, contactId);
  if (!contact) return 'gone';
  const nowIso = clock.nowIso();
  const consent = optOut(contact.consent, claims.topic, nowIso);
  if (!consent) return 'already-unsubscribed';
  const after: Contact = { ...contact, consent, updatedAt: nowIso, updatedBy: UNSUBSCRIBE_SOURCE, version: contact.version + 1 };
  try {
    await deps.consent.recordContactOptOut(claims.tenantId, contact, after, unsubscribeActivity(claims.customerId, claims, nowIso));
  } catch (error) {
    // The company was merged or erased since: its contacts moved or went, nobody is left to mail here.
    if (error instanceof ConsentChanged && !(await deps.contacts.get(claims.tenantId, claims.customerId, contactId))) return 'gone';
    throw error;
  }
  return 'unsubscribed';
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
    },
    actor: ACTOR,
    loggedAt: nowIso,
  };
}
