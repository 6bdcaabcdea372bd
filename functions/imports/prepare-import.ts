import { importStepInput } from '../../shared/imports/import-flow-input';
import { prepareImport } from '../../shared/imports/import-run-use-cases';
import { importRunDeps } from '../../shared/imports/wiring';
import { eventHandler } from '../../shared/log-context';

/** Import flow, first step: reads the file, checks every row, prepares the batches (or counts a dry run). */
export const handler = eventHandler(async (event: unknown) => prepareImport(importRunDeps, importStepInput.parse(event)));
