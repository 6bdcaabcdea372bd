import { openToken, signToken } from '../signed-token';
import { CONSENT_TOPIC } from './consent-check';

/**
 * Signed unsubscribe tokens (docs/marketing.md, "Consent, unsubscribe and suppression"). A token
 * names who opts out of what: tenant, customer, optionally the contact the mail went to and the
 * campaign or the automation send that mailed it, the topic, and when it was issued. It is `<payload>.<signature>`, both base64url: the payload is
 * JSON, the signature HMAC-SHA256 over the payload's text with the stage's unsubscribe secret.
 *
 * Tokens do not expire: a link in a mail read a year later must still work (and the law requires
 * it to work for a while after sending); honouring an old link only ever sends less mail. The
 * issue time is kept as evidence of which mailing the opt-out came from.
 */
export interface UnsubscribeClaims {
  tenantId: string;
  /** The recipient's id: the customer's, or the lead's when `leadId` is set (the recipient item of its campaign). */
  customerId: string;
  contactId?: string;
  /** Set when the mail went to a lead (a leads campaign): the opt-out changes the lead's consent. */
  leadId?: string;
  /** The campaign that sent the mail: its `unsubscribed` stat counts the opt-out. Older tokens have none. */
  campaignId?: string;
  /** The automation and the domain event whose send mailed it: the automation's `unsubscribed` stat counts the opt-out. */
  automationId?: string;
  eventId?: string;
  topic: string;
  /** ISO time the mail (and so the token) was made. */
  issuedAt: string;
}

/** Ids and topics as the API accepts them: no dots, so `payload.signature` splits unambiguously. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class InvalidUnsubscribeToken extends Error {
  constructor() {
    // One message for every failure: a caller learns nothing about why (tampered, foreign, garbled).
    super('Invalid unsubscribe token');
  }
}

export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  assertClaims(claims);
  const fields = {
    t: claims.tenantId,
    c: claims.customerId,
    ...(claims.contactId ? { o: claims.contactId } : {}),
    ...(claims.leadId ? { l: claims.leadId } : {}),
    ...(claims.campaignId ? { m: claims.campaignId } : {}),
    ...(claims.automationId ? { a: claims.automationId } : {}),
    ...(claims.eventId ? { e: claims.eventId } : {}),
    p: claims.topic,
    i: claims.issuedAt,
  };
  return signToken(fields, secret);
}

/** The claims of a token this stage signed; InvalidUnsubscribeToken for anything else. */
export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims {
  const raw = openToken(token, secret);
  if (!raw) throw new InvalidUnsubscribeToken();
  const claims: UnsubscribeClaims = {
    tenantId: String(raw.t),
    customerId: String(raw.c),
    ...(raw.o === undefined ? {} : { contactId: String(raw.o) }),
    ...(raw.l === undefined ? {} : { leadId: String(raw.l) }),
    ...(raw.m === undefined ? {} : { campaignId: String(raw.m) }),
    ...(raw.a === undefined ? {} : { automationId: String(raw.a) }),
    ...(raw.e === undefined ? {} : { eventId: String(raw.e) }),
    topic: String(raw.p),
    issuedAt: String(raw.i),
  };
  try {
    assertClaims(claims);
  } catch {
    throw new InvalidUnsubscribeToken();
  }
  return claims;
}

function assertClaims(c: UnsubscribeClaims): void {
  const ok =
    ID.test(c.tenantId) &&
    ID.test(c.customerId) &&
    (c.contactId === undefined || ID.test(c.contactId)) &&
    (c.leadId === undefined || (c.leadId === c.customerId && c.contactId === undefined)) &&
    (c.campaignId === undefined || ID.test(c.campaignId)) &&
    (c.automationId === undefined || ID.test(c.automationId)) &&
    (c.eventId === undefined || ID.test(c.eventId)) &&
    CONSENT_TOPIC.test(c.topic) &&
    !Number.isNaN(Date.parse(c.issuedAt));
  if (!ok) throw new Error('Unsubscribe claims need ids, a topic and an ISO issue time');
}

/**
 * What the campaign flow puts on every marketing mail: the page link (for the footer and the
 * `{{unsubscribeUrl}}` placeholder) and the RFC 8058 one-click headers. Mail clients POST
 * `List-Unsubscribe=One-Click` to the https URL of `List-Unsubscribe` without showing a page.
 */
export function unsubscribeHeaders(apiBaseUrl: string, token: string): { url: string; headers: { name: string; value: string }[] } {
  const url = `${apiBaseUrl.replace(/\/+$/, '')}/unsubscribe/${encodeURIComponent(token)}`;
  return {
    url,
    headers: [
      { name: 'List-Unsubscribe', value: `<${url}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}
