/**
 * How emails, phones and company domains are compared. Two customers of one tenant may not share
 * any of these (anti-collision), so the normal form decides what "the same" means.
 */

/** Emails compare case-insensitively in practice. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * E.164 (`+4930123456`): spaces, dots, dashes and parentheses are dropped, a leading `00` becomes
 * `+`. A number without its country code is rejected rather than guessed: a multi-country CRM has
 * no safe default region (docs/decisions.md).
 */
export function normalizePhone(phone: string): string | undefined {
  const compact = phone.trim().replace(/[\s.\-()/]/g, '').replace(/^00/, '+');
  return E164.test(compact) ? compact : undefined;
}

/** A company's web domain from a website URL or a bare domain: lower case, no `www.`, no port. */
export function normalizeDomain(websiteOrDomain: string): string | undefined {
  const raw = websiteOrDomain.trim().toLowerCase();
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(raw) ? raw : `https://${raw}`).hostname;
  } catch {
    return undefined;
  }
  host = host.replace(/^www\./, '').replace(/\.$/, '');
  return /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host) ? host : undefined;
}

/** A website as an http(s) URL; a bare domain gets `https://`. */
export function normalizeWebsite(website: string): string | undefined {
  const trimmed = website.trim();
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && normalizeDomain(url.hostname)) return url.toString();
  } catch {
    // not a URL
  }
  return undefined;
}

/**
 * Names as people search for them: case, accents and punctuation do not matter
 * ("Müller & Söhne GmbH" -> "muller sohne gmbh").
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export type UniqueField = 'email' | 'phone' | 'domain';

export interface UniqueValue {
  field: UniqueField;
  value: string;
}

/** The values a customer holds exclusively inside its tenant. */
export function uniqueValues(customer: { emails: string[]; phones: string[]; domain: string | null }): UniqueValue[] {
  return [
    ...customer.emails.map((value) => ({ field: 'email' as const, value })),
    ...customer.phones.map((value) => ({ field: 'phone' as const, value })),
    ...(customer.domain ? [{ field: 'domain' as const, value: customer.domain }] : []),
  ];
}

/** What an update must newly claim and what it must release. */
export function uniqueValueChanges(before: UniqueValue[], after: UniqueValue[]): { claim: UniqueValue[]; release: UniqueValue[] } {
  const key = (u: UniqueValue) => `${u.field}:${u.value}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  return { claim: after.filter((u) => !had.has(key(u))), release: before.filter((u) => !has.has(key(u))) };
}
