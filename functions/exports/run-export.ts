import { runExport } from '../../shared/exports/export-run-use-case';
import { exportRunDeps } from '../../shared/exports/wiring';
import { eventHandler } from '../../shared/log-context';

/** On crm.export.requested.v1: writes the file of what the requester may see, then completes the job. */
export const handler = eventHandler(async (event: unknown) => runExport(exportRunDeps, event));
