import { normalizeDomain, normalizeEmail, normalizeName, normalizePhone } from '../customers/contact-points';
import { SEARCH_SHARD_LENGTH } from '../keys';

/**
 * What the search index stores and how a query is read (docs/search.md): every token is lower
 * case, without accents, and at least SEARCH_SHARD_LENGTH characters long, so a prefix of that
 * length picks exactly one index partition.
 */

export const MATCH_KINDS = ['name', 'email', 'phone', 'domain'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export interface Token {
  token: string;
  matched: MatchKind;
}

/** Characters as people see them (code points), not UTF-16 units. */
export const charCount = (value: string) => Array.from(value).length;

/** Free-mail providers: an address there says nothing about a company, so it yields no domain token. */
const FREE_MAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'me.com', 'aol.com',
  'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'qq.com', '163.com',
]);

/** The words of a name, each once ("Northwind Traders" -> northwind, traders; "Café" -> cafe). */
export function nameWords(name: string | null | undefined): string[] {
  if (!name) return [];
  return [...new Set(normalizeName(name).split(' ').filter((w) => charCount(w) >= SEARCH_SHARD_LENGTH))];
}

/** The normalized name with a space on each side, so `contains(words, ' tra')` asks "does a word start with tra". */
export function wordsField(names: readonly (string | null | undefined)[]): string {
  const words = names.flatMap((n) => (n ? normalizeName(n).split(' ').filter(Boolean) : []));
  return ` ${words.join(' ')} `;
}

/**
 * Country calling codes are a prefix code (ITU-T E.164): 1 and 7 are one digit, these are two,
 * every other is three. Enough to split a stored number into country code and national number.
 */
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86',
  '90', '91', '92', '93', '94', '95', '98',
]);

export function countryCodeLength(digits: string): number {
  if (digits.startsWith('1') || digits.startsWith('7')) return 1;
  return TWO_DIGIT_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

/**
 * A stored (E.164) phone as searchable digits: the international number without `+`
 * (442079460958) and the national number without its leading zeros (2079460958), which is what
 * remains of "020 7946 0958" once the trunk prefix is dropped. An unreadable number yields none.
 */
export function phoneTokens(phone: string): string[] {
  const e164 = normalizePhone(phone);
  if (!e164) return [];
  const international = e164.slice(1);
  const national = international.slice(countryCodeLength(international)).replace(/^0+/, '');
  return [...new Set([international, national])].filter((t) => t.length >= SEARCH_SHARD_LENGTH);
}

/** An email's domain when it may name a company (not a free-mail provider). */
export function companyDomainOfEmail(email: string): string | undefined {
  const domain = normalizeDomain(normalizeEmail(email).split('@').pop() ?? '');
  return domain && !FREE_MAIL_DOMAINS.has(domain) ? domain : undefined;
}

/** What a record offers to search. */
export interface Searchable {
  names: readonly (string | null | undefined)[];
  emails: readonly string[];
  phones: readonly string[];
  /** Company domains (a company customer's, a lead's). */
  domains: readonly (string | null | undefined)[];
}

/**
 * Every token of a record, each (token, kind) once: name words, full emails, the company
 * domains and the domains of its emails (so `acme.com` finds Acme and the people with an email
 * at it), phones as digits.
 */
export function tokensOf(record: Searchable): Token[] {
  const found = new Map<string, Token>();
  const add = (token: string | undefined, matched: MatchKind) => {
    if (token && charCount(token) >= SEARCH_SHARD_LENGTH) found.set(`${matched}:${token}`, { token, matched });
  };
  for (const name of record.names) for (const word of nameWords(name)) add(word, 'name');
  for (const email of record.emails) {
    add(normalizeEmail(email), 'email');
    add(companyDomainOfEmail(email), 'domain');
  }
  for (const domain of record.domains) add(domain ? normalizeDomain(domain) : undefined, 'domain');
  for (const phone of record.phones) for (const digits of phoneTokens(phone)) add(digits, 'phone');
  return [...found.values()];
}

export const MIN_QUERY_LENGTH = SEARCH_SHARD_LENGTH;
export const MAX_QUERY_LENGTH = 100;

/**
 * A query read as one key prefix (one Query) and, for a name of several words, the other words,
 * which the Query filters on. `null`: nothing searchable (too short once normalized).
 */
export interface QueryPlan {
  prefix: string;
  /** Further word prefixes the record's name must also have (` word`, as `wordsField` writes them). */
  alsoWords: string[];
}

const PHONE_LIKE = /^[\s(]*\+?[\d\s().\-/]+$/;
const DOMAIN_LIKE = /^(?:https?:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]*)+)(?:[/:?#].*)?$/i;

/**
 * How a query is read: with an `@`, an email prefix (a leading `@`: the domain after it); digits
 * with phone punctuation, a phone in any format (`+44 20 7946 0958`, `0044...`, `020 7946 0958`)
 * as the digits the index holds; a dotted word, a domain prefix (`acme.com`, `https://www.acme.com/x`);
 * anything else, the prefixes of a name's words, keyed on the longest.
 */
export function planQuery(q: string): QueryPlan | null {
  const query = q.trim();
  const plan = (prefix: string, alsoWords: string[] = []) => (charCount(prefix) >= SEARCH_SHARD_LENGTH ? { prefix, alsoWords } : null);
  if (query.includes('@')) {
    const lower = normalizeEmail(query);
    return lower.startsWith('@') ? plan(lower.slice(1)) : plan(lower);
  }
  if (PHONE_LIKE.test(query) && /\d/.test(query)) {
    const digits = query.replace(/\D/g, '');
    if (/^[\s(]*\+/.test(query)) return plan(digits);
    if (digits.startsWith('00')) return plan(digits.slice(2));
    return plan(digits.replace(/^0+/, ''));
  }
  const domain = DOMAIN_LIKE.exec(query);
  if (domain && !/\s/.test(query)) return plan(domain[1]!.toLowerCase());
  const words = normalizeName(query).split(' ').filter(Boolean);
  const key = [...words].sort((a, b) => charCount(b) - charCount(a))[0];
  if (!key) return null;
  const others = words.filter((w, i) => i !== words.indexOf(key));
  return plan(key, [...new Set(others)].map((w) => ` ${w}`));
}
