import { escapeHtml, publicPage } from '../html';
import { openToken, signToken } from '../signed-token';

/**
 * Double opt-in (docs/leads.md#double-opt-in), the pure part: the signed link a confirmation mail
 * carries, the mail and the pages behind the link. The link names the tenant and the lead (or the
 * customer a capture matched) only; what waits for confirmation is on that record, so a link can
 * never grant more than was asked.
 * Signed with HMAC(link secret, "crm-consent-confirm-v1"): no unsubscribe, survey or quote token
 * passes as a confirmation link, nor the reverse.
 */

const KEY_LABEL = 'crm-consent-confirm-v1';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Whose grants wait: a new lead's, or (a capture that matched one) a customer's. */
export type ConfirmationClaims = { tenantId: string; issuedAt: string } & ({ leadId: string; customerId?: undefined } | { customerId: string; leadId?: undefined });

export class InvalidConfirmationLink extends Error {
  constructor() {
    super('Invalid confirmation link');
  }
}

export function signConfirmationLink(claims: ConfirmationClaims, secret: string): string {
  const whom = claims.leadId !== undefined ? { l: claims.leadId } : { c: claims.customerId };
  if (!ID.test(claims.tenantId) || !ID.test(String(whom.l ?? whom.c))) throw new Error('Confirmation link claims are ids');
  return signToken({ t: claims.tenantId, ...whom, i: claims.issuedAt }, secret, KEY_LABEL);
}

const isId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);

/** The claims of a link this stage signed; InvalidConfirmationLink for anything else (tampered, foreign, garbled). */
export function verifyConfirmationLink(token: string, secret: string): ConfirmationClaims {
  const raw = openToken(token, secret, KEY_LABEL);
  if (!raw || !isId(raw.t) || typeof raw.i !== 'string' || isId(raw.l) === isId(raw.c)) throw new InvalidConfirmationLink();
  return isId(raw.l) ? { tenantId: raw.t, leadId: raw.l, issuedAt: raw.i } : { tenantId: raw.t, customerId: raw.c as string, issuedAt: raw.i };
}

export const confirmationLinkUrl = (origin: string, token: string) => `${origin.replace(/\/+$/, '')}/consent-confirmations/${token}`;

/** The mail: the topics and the very wording the person agreed to, and the link. Nothing else of the lead. */
export function confirmationMail(topics: readonly string[], wording: string, link: string): { subject: string; text: string; html: string } {
  const list = topics.join(', ');
  return {
    subject: 'Please confirm your subscription',
    text: `You asked to receive: ${list}.\n\nWhat you agreed to: "${wording}"\n\nConfirm here: ${link}\n\nIf this was not you, ignore this mail: nothing will be sent.\n`,
    html:
      `<p>You asked to receive: <strong>${escapeHtml(list)}</strong>.</p><p>What you agreed to: “${escapeHtml(wording)}”</p>` +
      `<p><a href="${escapeHtml(link)}">Confirm</a></p><p>If this was not you, ignore this mail: nothing will be sent.</p>`,
  };
}

/**
 * GET: a page whose button POSTs to the same URL. GET itself never confirms: mail scanners and link
 * previews fetch every link of a mail, and a grant by GET would be consent nobody gave.
 */
export function confirmationPage(): string {
  return publicPage('Confirm', '<h1>Confirm your subscription</h1><p>Press the button to confirm.</p><form method="post"><button type="submit">Confirm</button></form>');
}

/** The same page after every accepted POST, whatever was found: the link reveals nothing about the lead. */
export function confirmedPage(): string {
  return publicPage('Confirmed', '<h1>Thank you</h1><p>Your subscription is confirmed.</p>');
}
