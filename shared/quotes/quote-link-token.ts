import { openToken, signToken } from '../signed-token';

/**
 * The signed link a sent quote carries (docs/processes.md, "Sending a quote"): it names the quote
 * and the sending it belongs to (`linkId`), so a link mailed before a revision never answers the
 * revised quote. Signed with HMAC(link secret, "crm-quote-link-v1"): no unsubscribe or survey
 * token passes as a quote link, nor the reverse. Expiry is the quote's, judged on use.
 */
export interface QuoteLinkClaims {
  tenantId: string;
  customerId: string;
  quoteId: string;
  linkId: string;
}

const KEY_LABEL = 'crm-quote-link-v1';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export class InvalidQuoteLink extends Error {
  constructor() {
    super('Invalid quote link');
  }
}

export function signQuoteLink(claims: QuoteLinkClaims, secret: string): string {
  if (![claims.tenantId, claims.customerId, claims.quoteId, claims.linkId].every((id) => ID.test(id))) throw new Error('Quote link claims are ids');
  return signToken({ t: claims.tenantId, c: claims.customerId, q: claims.quoteId, l: claims.linkId }, secret, KEY_LABEL);
}

/** The claims of a link this stage signed; InvalidQuoteLink for anything else (tampered, foreign, garbled). */
export function verifyQuoteLink(token: string, secret: string): QuoteLinkClaims {
  const raw = openToken(token, secret, KEY_LABEL);
  const claims = raw && { tenantId: raw.t, customerId: raw.c, quoteId: raw.q, linkId: raw.l };
  if (!claims || !Object.values(claims).every((id) => typeof id === 'string' && ID.test(id))) throw new InvalidQuoteLink();
  return claims as QuoteLinkClaims;
}

export const quoteLinkUrl = (apiBaseUrl: string, token: string) => `${apiBaseUrl.replace(/\/+$/, '')}/quote-links/${token}`;
