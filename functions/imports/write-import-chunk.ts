import { importChunkInput } from '../../shared/imports/import-flow-input';
import { writeImportChunk } from '../../shared/imports/import-run-use-cases';
import { importRunDeps } from '../../shared/imports/wiring';
import { eventHandler } from '../../shared/log-context';

/** Import flow, Map item: writes one batch of rows, exactly once. */
export const handler = eventHandler(async (event: unknown) => writeImportChunk(importRunDeps, importChunkInput.parse(event)));
