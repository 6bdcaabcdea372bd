import { httpHandler, json } from '../../shared/http/http-handler';
import { importView, runImportInput } from '../../shared/imports/import-job';
import { runImport } from '../../shared/imports/import-use-cases';
import { importDeps } from '../../shared/imports/wiring';

/** POST /imports/{id}/run: checks the file's size and header, then starts the flow; 202, the run goes on asynchronously. */
export const handler = httpHandler({ body: runImportInput }, async ({ caller, pathParameters, body }) => {
  const job = await runImport(importDeps, caller, pathParameters.id ?? '', body);
  return json(202, importView(job), { etag: `"${job.version}"`, location: `/imports/${job.id}` });
});
