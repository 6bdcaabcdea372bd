import { httpHandler, json } from '../../shared/http/http-handler';
import { importView } from '../../shared/imports/import-job';
import { getImport } from '../../shared/imports/import-use-cases';
import { importDeps } from '../../shared/imports/wiring';

/** GET /imports/{id}: status and counts, and a fresh link to the error CSV when the run left one. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const { job, reportUrl } = await getImport(importDeps, caller, pathParameters.id ?? '');
  return json(200, { ...importView(job), reportUrl }, { etag: `"${job.version}"` });
});
