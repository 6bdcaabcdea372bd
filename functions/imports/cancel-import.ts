import { httpHandler, json } from '../../shared/http/http-handler';
import { importView } from '../../shared/imports/import-job';
import { cancelImport } from '../../shared/imports/import-use-cases';
import { importDeps } from '../../shared/imports/wiring';

/** POST /imports/{id}/cancel: the run stops before its next batch; written rows stay. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const job = await cancelImport(importDeps, caller, pathParameters.id ?? '');
  return json(200, importView(job), { etag: `"${job.version}"` });
});
