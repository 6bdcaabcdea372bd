import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';
import { search, SEARCH_PAGE_SIZE } from '../../shared/search/search-use-case';
import { searchReader } from '../../shared/search/wiring';

/** GET /search?q=&types=: customers, contacts, leads and deals by a word prefix, email, phone or domain. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const limit = parseLimit(query.limit, SEARCH_PAGE_SIZE.default, SEARCH_PAGE_SIZE.max);
  return json(200, await search(searchReader, caller, { q: query.q, types: query.types, limit, cursor: query.cursor }));
});
