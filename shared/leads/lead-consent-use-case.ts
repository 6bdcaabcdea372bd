import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { confirmedConsent } from '../consent/consent-capture';
import { type ConfirmationClaims, confirmationLinkUrl, confirmationMail, InvalidConfirmationLink, signConfirmationLink, verifyConfirmationLink } from '../consent/consent-confirmation';
import type { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { customerUpdatedV1 } from '../../events/customer-updated.v1';
import { Conflict, MalformedRequest } from '../errors';
import { newEvent } from '../outbox/outbox';
import { logError } from '../log';
import type { Lead } from './lead';
import { LeadErased } from './lead-errors';
import { LeadChanged, type LeadRepository } from './lead-repository';

/**
 * Double opt-in of consent captured with a lead (docs/leads.md#double-opt-in): the tenant's switch,
 * the confirmation mail, and the link that grants what waited.
 */

export interface ConfirmationDeps {
  settings: Pick<MarketingSettingsRepository, 'get'>;
  mailer: Pick<SesMail, 'sendSimple'>;
  secret: () => Promise<string>;
}

export const CONFIRMATION_EFFECT = 'consent-confirmation';
/** Who grants on a followed link: the person, through the link (the customer's `updatedBy` and the event's actor). */
const CONFIRMATION_ACTOR = { type: 'system', id: 'consent-confirmation' } as const;

export async function doubleOptInOf(deps: Pick<ConfirmationDeps, 'settings'>, tenantId: string): Promise<boolean> {
  return (await deps.settings.get(tenantId)).doubleOptIn;
}

export type ConfirmationMailResult = 'sent' | 'nothing-waits' | 'no-email' | 'failed';

/**
 * Mails the link for the grants that wait on a new lead. A failed send is logged, not thrown: the
 * lead is stored and the visitor's submission was taken; its grants simply stay unconfirmed (never
 * consent by accident), and the visitor may submit again.
 */
export async function mailConfirmation(deps: ConfirmationDeps, lead: Lead, origin: string): Promise<ConfirmationMailResult> {
  const pending = lead.pendingConsent ?? {};
  return mailLink(deps, { tenantId: lead.tenantId, leadId: lead.id }, lead.email, Object.keys(pending), pending[Object.keys(pending)[0]!]?.evidence.text ?? '', origin);
}

/**
 * The same for a capture that matched a customer by its own address: its grants wait on the
 * customer (`waiting`, worded as `wording`), and the link goes to that address.
 */
export async function mailCustomerConfirmation(deps: ConfirmationDeps, tenantId: string, captured: { customerId: string; email: string | null; waiting: string[] }, wording: string, origin: string): Promise<ConfirmationMailResult> {
  return mailLink(deps, { tenantId, customerId: captured.customerId }, captured.email, captured.waiting, wording, origin);
}

async function mailLink(deps: ConfirmationDeps, whom: { tenantId: string } & ({ leadId: string } | { customerId: string }), email: string | null, topics: string[], wording: string, origin: string): Promise<ConfirmationMailResult> {
  if (topics.length === 0) return 'nothing-waits';
  if (!email) return 'no-email';
  try {
    const token = signConfirmationLink({ ...whom, issuedAt: clock.nowIso() } as ConfirmationClaims, await deps.secret());
    const mail = confirmationMail(topics, wording, confirmationLinkUrl(origin, token));
    await deps.mailer.sendSimple({ to: email, ...mail, tags: { tenantId: whom.tenantId, kind: CONFIRMATION_EFFECT } });
    return 'sent';
  } catch (error) {
    logError('consent confirmation mail failed', error, whom);
    return 'failed';
  }
}

const ATTEMPTS = 5;

/** The link's claims; one 400 for every bad link (tampered, foreign, garbled), saying nothing more. */
export async function readConfirmationLink(deps: { secret: () => Promise<string> }, token: string | undefined) {
  try {
    return verifyConfirmationLink(token ?? '', await deps.secret());
  } catch (error) {
    if (error instanceof InvalidConfirmationLink) throw new MalformedRequest('This confirmation link is not valid');
    throw error;
  }
}

/** The link's lead (a confirmation or an unsubscribe link); an erased one is as gone as a deleted one (a public link must not tell them apart). */
export async function leadOfLink(leads: Pick<LeadRepository, 'load'>, tenantId: string, leadId: string): Promise<Lead | undefined> {
  try {
    return (await leads.load(tenantId, leadId))?.lead;
  } catch (error) {
    if (error instanceof LeadErased) return undefined;
    throw error;
  }
}

/**
 * POST /consent-confirmations/{token}: the grants waiting on the lead (or on the customer a capture
 * matched, confirmCustomerConsent) become consent, at this moment, with the evidence of the request. Conditioned on the lead's version, so two clicks at
 * once make one grant (the second reads it done). A lead that is gone, converted or has nothing
 * waiting answers the same: the link reveals nothing about it.
 */
export async function confirmConsent(
  deps: { leads: Pick<LeadRepository, 'load' | 'save'>; customers: Pick<LeadRepository, 'matchedCustomer' | 'saveCustomerConsent'>; secret: () => Promise<string> },
  token: string | undefined,
): Promise<void> {
  const claims = await readConfirmationLink(deps, token);
  if (claims.customerId !== undefined) return confirmCustomerConsent(deps.customers, claims.tenantId, claims.customerId);
  for (let attempt = 1; ; attempt++) {
    const lead = await leadOfLink(deps.leads, claims.tenantId, claims.leadId);
    if (!lead || lead.status === 'converted' || Object.keys(lead.pendingConsent ?? {}).length === 0) return;
    const nowIso = clock.nowIso();
    const next: Lead = { ...lead, consent: { ...lead.consent, ...confirmedConsent(lead.pendingConsent!, nowIso) }, pendingConsent: {}, updatedAt: nowIso, version: lead.version + 1 };
    try {
      await deps.leads.save(next, lead.version, [], []);
      return;
    } catch (error) {
      if (!(error instanceof LeadChanged) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/**
 * The customer's grants that waited (a capture that matched it): consent now, with
 * `crm.customer.updated.v1`, conditioned on the version read. A customer erased, merged or with
 * nothing waiting answers like a lead's link: nothing is revealed.
 */
async function confirmCustomerConsent(repo: Pick<LeadRepository, 'matchedCustomer' | 'saveCustomerConsent'>, tenantId: string, customerId: string): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await repo.matchedCustomer(tenantId, customerId);
    if (!found || found.customer.mergedInto || found.customer.erasedAt || Object.keys(found.pendingConsent).length === 0) return;
    const nowIso = clock.nowIso();
    const before = found.customer;
    const after = { ...before, consent: { ...before.consent, ...confirmedConsent(found.pendingConsent, nowIso) }, updatedAt: nowIso, updatedBy: CONFIRMATION_ACTOR.id, version: before.version + 1 };
    const event = newEvent(customerUpdatedV1, { tenantId, actor: CONFIRMATION_ACTOR, correlationId: `consent-confirmation:${customerId}` }, { customerId, changedFields: ['consent', 'pendingConsent'], version: after.version });
    if (await repo.saveCustomerConsent(before, after, {}, { detailType: customerUpdatedV1.detailType, detail: event })) return;
  }
  throw new Conflict('The customer changed while the confirmation was being recorded; press the button again');
}
