import type { Caller } from '../access/caller';
import { ValidationFailed } from '../errors';
import { decodeCursor, encodeCursor } from '../pagination';
import { recordKey, SEARCH_TYPES, type SearchHit, searchHit, type SearchType } from './search-entry';
import type { SearchReader } from './search-repository';
import { charCount, MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, planQuery, type QueryPlan } from './search-tokens';
import { mayFind, visibilityFilter } from './search-visibility';

export const SEARCH_PAGE_SIZE = { default: 20, max: 100 } as const;

export interface SearchRequest {
  q: string | undefined;
  types: string | undefined;
  limit: number;
  cursor: string | undefined;
}

/** `q` as a key prefix, or a 400 naming `query.q`. */
export function searchPlan(q: string | undefined): QueryPlan {
  const query = (q ?? '').trim();
  const fail = (message: string) => new ValidationFailed([{ path: 'query.q', message }]);
  if (charCount(query) < MIN_QUERY_LENGTH) throw fail(`Expected at least ${MIN_QUERY_LENGTH} characters`);
  if (charCount(query) > MAX_QUERY_LENGTH) throw fail(`Expected at most ${MAX_QUERY_LENGTH} characters`);
  const plan = planQuery(query);
  if (!plan) throw fail(`Expected a word, email, phone or domain of at least ${MIN_QUERY_LENGTH} letters or digits`);
  return plan;
}

/** `types=customer,contact`: every type when absent; an unknown one is a 400 naming `query.types`. */
export function searchTypes(types: string | undefined): SearchType[] {
  if (types === undefined) return [...SEARCH_TYPES];
  const wanted = types.split(',').map((t) => t.trim());
  const unknown = wanted.filter((t) => !(SEARCH_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0 || wanted.length === 0) {
    throw new ValidationFailed([{ path: 'query.types', message: `Expected a comma-separated list of ${SEARCH_TYPES.join(', ')}; unknown: ${unknown.join(', ') || '(empty)'}` }]);
  }
  return [...new Set(wanted as SearchType[])];
}

/**
 * GET /search (docs/search.md): one Query of the word index per page, filtered to what the caller
 * may read. A record matching on two words of the prefix (or by two kinds) appears once per page.
 * The cursor is the Query's own, accepted only for the partition of this prefix.
 */
export async function search(reader: SearchReader, caller: Caller, request: SearchRequest): Promise<{ items: SearchHit[]; cursor: string | null }> {
  const plan = searchPlan(request.q);
  const types = searchTypes(request.types);
  const startKey = decodeCursor(request.cursor, reader.partition(caller.tenantId, plan.prefix));
  const page = await reader.page(caller.tenantId, plan.prefix, visibilityFilter(caller, types, plan.alsoWords), request.limit, startKey);
  const seen = new Set<string>();
  const items: SearchHit[] = [];
  for (const entry of page.entries) {
    const key = `${entry.type}#${recordKey({ id: entry.id, customerId: entry.customerId ?? null })}`;
    // The filter already did this; the rules stay the last word.
    if (seen.has(key) || !types.includes(entry.type) || !mayFind(caller, entry)) continue;
    seen.add(key);
    items.push(searchHit(entry));
  }
  return { items, cursor: encodeCursor(page.lastEvaluatedKey) };
}
