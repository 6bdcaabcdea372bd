import { httpHandler, json } from '../../shared/http/http-handler';
import { createImportInput, importView } from '../../shared/imports/import-job';
import { createImport } from '../../shared/imports/import-use-cases';
import { importDeps } from '../../shared/imports/wiring';

/** POST /imports: a new import and the link to PUT its CSV to. */
export const handler = httpHandler({ body: createImportInput }, async ({ caller, body }) => {
  const { job, upload } = await createImport(importDeps, caller, body);
  return json(201, { ...importView(job), uploadUrl: upload.url, upload }, { etag: `"${job.version}"`, location: `/imports/${job.id}` });
});
