import { importStepInput } from '../../shared/imports/import-flow-input';
import { completeImport } from '../../shared/imports/import-run-use-cases';
import { importRunDeps } from '../../shared/imports/wiring';
import { eventHandler } from '../../shared/log-context';

/** Import flow, last step: the error CSV, the status and crm.import.completed.v1 in one write. */
export const handler = eventHandler(async (event: unknown) => completeImport(importRunDeps, importStepInput.parse(event)));
