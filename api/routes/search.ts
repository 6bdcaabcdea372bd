import * as z from 'zod/mini';
import { SEARCH_TYPES } from '../../shared/search/search-entry';
import { MATCH_KINDS, MAX_QUERY_LENGTH, MIN_QUERY_LENGTH } from '../../shared/search/search-tokens';
import { SEARCH_PAGE_SIZE } from '../../shared/search/search-use-case';
import { areaRoutes } from '../route';

const searchHitResponse = z.object({
  type: z.enum(SEARCH_TYPES),
  id: z.string(),
  title: z.string().check(z.describe('The display name')),
  subtitle: z.nullable(z.string()).check(z.describe("A customer's domain or first email, a contact's job title or email, a lead's company and status, a deal's stage or status")),
  matched: z.enum(MATCH_KINDS).check(z.describe('What matched: a word of the name, an email, a phone or a domain')),
  ownerId: z.optional(z.string().check(z.describe("The customer's owner (a contact: its company's), the lead's or the deal's"))),
  customerId: z.optional(z.string().check(z.describe('The customer a contact or deal belongs to'))),
});

const searchPageResponse = z.object({
  items: z.array(searchHitResponse).check(z.describe('In token order; a filtered page may hold fewer than `limit` items')),
  cursor: z.nullable(z.string()).check(z.describe('Present while more may follow, even after a short or empty page')),
});

/** Search across customers, contacts, leads and deals (docs/search.md). */
export const SEARCH_ROUTES = areaRoutes('search', 'stateless', [
  {
    method: 'GET',
    path: '/search',
    auth: 'jwt',
    handler: 'functions/search/search.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Search customers, contacts, leads and deals',
      description:
        'By the prefix of any word of a name (`trad` finds "Northwind Traders", `cafe` finds "Café Nero"), an email (or its prefix), a phone in any format ' +
        '(`+44 20 7946 0958`, `0044 20...`, `020 7946 0958`) or a company domain (`acme.com`: the company and everyone with an email at it; `@acme.com` too). ' +
        'One Query of the word index per page, filtered to what you may read (reps their own, managers their team\'s and the unowned, admins all...). ' +
        'The index follows the table through its stream: a change is searchable within about a second.',
      tags: ['Search'],
      queryParameters: {
        q: { description: `What to look for, ${MIN_QUERY_LENGTH} to ${MAX_QUERY_LENGTH} characters.`, schema: z.string().check(z.minLength(MIN_QUERY_LENGTH), z.maxLength(MAX_QUERY_LENGTH)), required: true },
        types: { description: `Comma-separated: ${SEARCH_TYPES.join(', ')}; all when absent.`, schema: z.string() },
        limit: { description: `Index items read per page, ${SEARCH_PAGE_SIZE.default} when absent.`, schema: z._default(z.int().check(z.minimum(1), z.maximum(SEARCH_PAGE_SIZE.max)), SEARCH_PAGE_SIZE.default) },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque.", schema: z.string() },
      },
      success: { status: 200, description: '`{items, cursor}`.', schema: searchPageResponse },
      errors: { 400: 'A missing, too short or too long `q`, an unknown type in `types`, a bad `limit` or a foreign `cursor` (`validation-failed`, paths `query.<name>`).' },
    },
  },
]);
