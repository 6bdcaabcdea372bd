import { keys } from '../keys';
import { type MatchKind, type Searchable, tokensOf, wordsField } from './search-tokens';

/**
 * The records search finds and the index items that point at them (docs/search.md). Pure: the
 * indexer (search-indexer-use-case.ts) turns table items into these and writes the difference.
 */

export const SEARCH_TYPES = ['customer', 'contact', 'lead', 'deal'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/**
 * Who may read the record, copied onto every index item so that the search Query filters on it:
 * the customer's owner and team for a customer and the records inside it (contacts, deals), the
 * lead's for a lead; a deal also carries its own owner, who reads it whoever owns the customer.
 */
export interface ReaderScope {
  ownerId: string | null;
  teamId: string | null;
  dealOwnerId?: string | null;
}

/** A record as search shows it and indexes it. */
export interface SearchRecord extends Searchable {
  type: SearchType;
  id: string;
  /** The customer a contact or deal belongs to. */
  customerId: string | null;
  title: string;
  subtitle: string | null;
  scope: ReaderScope;
}

/** One index item: a token of one record, with what a result shows and what visibility needs. */
export interface SearchEntry {
  PK: string;
  SK: string;
  entity: 'SearchEntry';
  token: string;
  matched: MatchKind;
  type: SearchType;
  id: string;
  customerId?: string;
  title: string;
  subtitle?: string;
  words: string;
  ownerId?: string;
  teamId?: string;
  dealOwnerId?: string;
}

/** A contact's or deal's key includes its customer: a merge moves it, and both copies' entries must differ. */
export const recordKey = (record: Pick<SearchRecord, 'id' | 'customerId'>) => (record.customerId ? `${record.customerId}#${record.id}` : record.id);

export function searchEntries(tenantId: string, record: SearchRecord): SearchEntry[] {
  const words = wordsField(record.names);
  return tokensOf(record).map(({ token, matched }) => ({
    ...keys.searchEntry(tenantId, token, matched, record.type, recordKey(record)),
    entity: 'SearchEntry' as const,
    token,
    matched,
    type: record.type,
    id: record.id,
    ...(record.customerId ? { customerId: record.customerId } : {}),
    title: record.title,
    ...(record.subtitle ? { subtitle: record.subtitle } : {}),
    words,
    ...(record.scope.ownerId ? { ownerId: record.scope.ownerId } : {}),
    ...(record.scope.teamId ? { teamId: record.scope.teamId } : {}),
    ...(record.scope.dealOwnerId ? { dealOwnerId: record.scope.dealOwnerId } : {}),
  }));
}

export interface EntryChanges {
  put: SearchEntry[];
  remove: { PK: string; SK: string }[];
}

/**
 * What to write to go from a record's entries before to after: entries that are gone are
 * deleted, new or changed ones put, unchanged ones left alone (most profile writes change no
 * searchable field and write nothing here).
 */
export function entryChanges(before: readonly SearchEntry[], after: readonly SearchEntry[]): EntryChanges {
  const id = (e: { PK: string; SK: string }) => `${e.PK}\u0000${e.SK}`;
  const old = new Map(before.map((e) => [id(e), JSON.stringify(e)]));
  const kept = new Set(after.map(id));
  return {
    put: after.filter((e) => old.get(id(e)) !== JSON.stringify(e)),
    remove: before.filter((e) => !kept.has(id(e))).map(({ PK, SK }) => ({ PK, SK })),
  };
}

type Item = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A merged or erased customer (or none) is not searchable, and neither is anything inside it. */
export const isLiveCustomer = (item: Item | undefined): item is Item => !!item && !item.mergedInto && !item.erasedAt;

/** The scope of a customer's records: its owner and the owner's team. */
export const customerScope = (profile: Item): ReaderScope => ({ ownerId: str(profile.ownerId), teamId: str(profile.teamId) });

export function customerRecord(profile: Item | undefined): SearchRecord | undefined {
  if (!isLiveCustomer(profile) || !str(profile.id) || !str(profile.name)) return undefined;
  const emails = strings(profile.emails);
  return {
    type: 'customer',
    id: String(profile.id),
    customerId: null,
    title: String(profile.name),
    subtitle: str(profile.domain) ?? emails[0] ?? str(profile.lifecycleStage),
    names: [String(profile.name)],
    emails,
    phones: strings(profile.phones),
    domains: [str(profile.domain)],
    scope: customerScope(profile),
  };
}

/** A contact, found with its company's readers: whoever may read the company reads its people. */
export function contactRecord(contact: Item | undefined, customerId: string, scope: ReaderScope): SearchRecord | undefined {
  if (!contact || !str(contact.id) || !str(contact.name)) return undefined;
  const emails = strings(contact.emails);
  return {
    type: 'contact',
    id: String(contact.id),
    customerId,
    title: String(contact.name),
    subtitle: str(contact.title) ?? emails[0] ?? null,
    names: [String(contact.name)],
    emails,
    phones: strings(contact.phones),
    domains: [],
    scope,
  };
}

/** A deal by its name; its customer's readers and its own owner find it (canReadDeal). */
export function dealRecord(deal: Item | undefined, customerId: string, scope: ReaderScope): SearchRecord | undefined {
  if (!deal || !str(deal.id) || !str(deal.name)) return undefined;
  const status = str(deal.status);
  return {
    type: 'deal',
    id: String(deal.id),
    customerId,
    title: String(deal.name),
    subtitle: status === 'open' ? str(deal.stageId) : status,
    names: [String(deal.name)],
    emails: [],
    phones: [],
    domains: [],
    scope: { ...scope, dealOwnerId: str(deal.ownerId) },
  };
}

/** A lead by its person and company names, email, phone and domain. */
export function leadRecord(lead: Item | undefined): SearchRecord | undefined {
  if (!lead || !str(lead.id)) return undefined;
  const email = str(lead.email);
  const phone = str(lead.phone);
  const title = str(lead.name) ?? str(lead.company) ?? email ?? phone;
  if (!title) return undefined;
  return {
    type: 'lead',
    id: String(lead.id),
    customerId: null,
    title,
    subtitle: [str(lead.company), str(lead.status)].filter(Boolean).join(' · ') || null,
    names: [str(lead.name), str(lead.company)],
    emails: email ? [email] : [],
    phones: phone ? [phone] : [],
    domains: [str(lead.domain)],
    scope: { ownerId: str(lead.ownerId), teamId: str(lead.teamId) },
  };
}

/** A result as `GET /search` answers it. */
export interface SearchHit {
  type: SearchType;
  id: string;
  title: string;
  subtitle: string | null;
  matched: MatchKind;
  ownerId?: string;
  customerId?: string;
}

export function searchHit(entry: SearchEntry): SearchHit {
  const ownerId = entry.type === 'deal' ? entry.dealOwnerId : entry.ownerId;
  return {
    type: entry.type,
    id: entry.id,
    title: entry.title,
    subtitle: entry.subtitle ?? null,
    matched: entry.matched,
    ...(ownerId ? { ownerId } : {}),
    ...(entry.customerId ? { customerId: entry.customerId } : {}),
  };
}
