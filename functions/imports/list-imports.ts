import { httpHandler, json } from '../../shared/http/http-handler';
import { IMPORT_PAGE_SIZE, importView } from '../../shared/imports/import-job';
import { listImports } from '../../shared/imports/import-use-cases';
import { importDeps } from '../../shared/imports/wiring';
import { parseLimit } from '../../shared/pagination';

/** GET /imports: newest first; admins see the tenant's, others their own. */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listImports(importDeps, caller, parseLimit(query.limit, IMPORT_PAGE_SIZE.default, IMPORT_PAGE_SIZE.max), query.cursor);
  return json(200, { items: page.items.map(importView), cursor: page.cursor });
});
