import { importFailureInput } from '../../shared/imports/import-flow-input';
import { recordImportFailure } from '../../shared/imports/import-run-use-cases';
import { importRunDeps } from '../../shared/imports/wiring';
import { eventHandler } from '../../shared/log-context';

/** Import flow, on a step that failed past its retries: the run is marked failed (it can be resumed). */
export const handler = eventHandler(async (event: unknown) => recordImportFailure(importRunDeps, importFailureInput.parse(event)));
