import { httpHandler, json } from '../../shared/http/http-handler';
import { exportView } from '../../shared/exports/export-job';
import { downloadLinkOf, getExport } from '../../shared/exports/export-use-cases';
import { exportReadDeps } from '../../shared/exports/wiring';

/** GET /exports/{id}: the job; once completed, a fresh 15-minute download link. Its requester and admins. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const job = await getExport(exportReadDeps, caller, pathParameters.id ?? '');
  return json(200, exportView(job, await downloadLinkOf(exportReadDeps, job)));
});
