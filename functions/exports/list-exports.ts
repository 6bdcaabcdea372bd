import { httpHandler, json } from '../../shared/http/http-handler';
import { EXPORT_PAGE_SIZE, exportView } from '../../shared/exports/export-job';
import { listExports } from '../../shared/exports/export-use-cases';
import { exportDeps } from '../../shared/exports/wiring';
import { parseLimit } from '../../shared/pagination';

/** GET /exports: the caller's own exports, newest first, without links (GET /exports/{id} signs one). */
export const handler = httpHandler({}, async ({ caller, query }) => {
  const page = await listExports(exportDeps, caller, parseLimit(query.limit, EXPORT_PAGE_SIZE.default, EXPORT_PAGE_SIZE.max), query.cursor);
  return json(200, { items: page.items.map((job) => exportView(job, null)), cursor: page.cursor });
});
