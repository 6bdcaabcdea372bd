import { httpHandler, json } from '../../shared/http/http-handler';
import { createExportInput, exportView } from '../../shared/exports/export-job';
import { requestExport } from '../../shared/exports/export-use-cases';
import { exportDeps } from '../../shared/exports/wiring';

/** POST /exports: 202 with the queued job; RunExport writes the file (GET /exports/{id} tells when). */
export const handler = httpHandler({ body: createExportInput }, async ({ caller, body, requestId }) => {
  const job = await requestExport(exportDeps, caller, body, requestId);
  return json(202, exportView(job, null), { location: `/exports/${job.id}` });
});
