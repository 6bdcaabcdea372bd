import type { SesMail } from '../aws/ses-mail';
import { clock } from '../clock';
import { confirmedConsent } from '../consent/consent-capture';
import { confirmationLinkUrl, confirmationMail, InvalidConfirmationLink, signConfirmationLink, verifyConfirmationLink } from '../consent/consent-confirmation';
import type { MarketingSettingsRepository } from '../consent/marketing-settings-repository';
import { MalformedRequest } from '../errors';
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
  const topics = Object.keys(pending);
  if (topics.length === 0) return 'nothing-waits';
  if (!lead.email) return 'no-email';
  try {
    const token = signConfirmationLink({ tenantId: lead.tenantId, leadId: lead.id, issuedAt: clock.nowIso() }, await deps.secret());
    const mail = confirmationMail(topics, pending[topics[0]!]!.evidence.text, confirmationLinkUrl(origin, token));
    await deps.mailer.sendSimple({ to: lead.email, ...mail, tags: { tenantId: lead.tenantId, kind: CONFIRMATION_EFFECT } });
    return 'sent';
  } catch (error) {
    logError('consent confirmation mail failed', error, { tenantId: lead.tenantId, leadId: lead.id });
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
 * POST /consent-confirmations/{token}: the grants waiting on the lead become consent, at this
 * moment, with the evidence of the request. Conditioned on the lead's version, so two clicks at
 * once make one grant (the second reads it done). A lead that is gone, converted or has nothing
 * waiting answers the same: the link reveals nothing about it.
 */
export async function confirmLeadConsent(deps: { leads: Pick<LeadRepository, 'load' | 'save'>; secret: () => Promise<string> }, token: string | undefined): Promise<void> {
  const claims = await readConfirmationLink(deps, token);
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
