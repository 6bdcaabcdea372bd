import { httpHandler, json } from '../../shared/http/http-handler';
import { parseLimit } from '../../shared/pagination';
import { SUPPRESSION_PAGE_SIZE, suppressionView } from '../../shared/consent/suppression';
import { suppressionRepository } from '../../shared/consent/wiring';
import { listSuppressions } from '../../shared/consent/suppression-use-cases';

/** GET /suppressions?limit=&cursor=: the tenant's suppressed addresses; marketers and admins. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const limit = parseLimit(query.limit, SUPPRESSION_PAGE_SIZE.default, SUPPRESSION_PAGE_SIZE.max);
  const page = await listSuppressions(suppressionRepository, caller, limit, query.cursor);
  return json(200, { items: page.items.map(suppressionView), cursor: page.cursor });
});
