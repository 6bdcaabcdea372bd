import { createImportInput, MAX_IMPORT_BYTES, MAX_IMPORT_COLUMNS, runImportInput } from '../../../shared/imports/import-job';
import { createdImportResponse, importPageResponse, importResponse, importWithReportResponse } from '../../responses/imports';
import { areaRoutes } from '../../route';

const id = { id: 'Import id' };
const importers = 'Only admins, managers and marketers import; products only admins, deals only admins and managers (`forbidden`).';
const notFound = 'No such import, or not one of yours (admins see every import).';

/** CSV imports: a file in, through a presigned upload, a dry run and a flow of batches (docs/integrations.md, "Imports"). */
export const IMPORTS_ROUTES = areaRoutes('imports', 'integrations', [
  {
    method: 'POST',
    path: '/imports',
    auth: 'jwt',
    handler: 'functions/imports/create-import.ts',
    access: { table: 'readWrite', files: 'readWrite' },
    doc: {
      summary: 'Start an import',
      description:
        'A new import (customers, contacts, leads, deals or products) and the link to upload its CSV to (`PUT uploadUrl` with `Content-Type: text/csv`, within the hour; in AWS a presigned S3 PUT, locally the S3 stand-in). ' +
        '`mapping` maps CSV columns to fields (`name`, `emails`, `phones`, `address.city`, `consent.newsletter`, `customFields.vatId`, `ownerId` as a user id or email, `id` of an existing customer); ' +
        'without one, each column must be named as its field, which is what an export writes. `options.onDuplicate`: `skip` (default), `update` or `report`. ' +
        'No welcome mail, automation or webhook per row unless `options.sendWelcome`. Encodings: UTF-8 with or without BOM, Latin-1 (`auto` tells them apart); delimiter `,` `;` tab or `|`.',
      tags: ['Integrations'],
      requestBody: { schema: createImportInput, description: 'What to import and how.' },
      success: { status: 201, description: 'Created, awaiting its upload.', schema: createdImportResponse, headers: ['Location', 'ETag'] },
      errors: { 400: 'An unknown entity, option or field (named, e.g. `options.onDuplicate`).', 403: importers },
    },
  },
  {
    method: 'GET',
    path: '/imports',
    auth: 'jwt',
    handler: 'functions/imports/list-imports.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Imports',
      description: 'Newest first. Admins see every import of the tenant, others their own. `limit` (1-100, default 25) and `cursor`.',
      tags: ['Integrations'],
      success: { status: 200, description: 'A page of imports.', schema: importPageResponse },
      errors: { 400: 'A limit out of range or a cursor this list did not return (`query.limit`, `query.cursor`).', 403: importers },
    },
  },
  {
    method: 'GET',
    path: '/imports/{id}',
    auth: 'jwt',
    handler: 'functions/imports/get-import.ts',
    access: { table: 'read', files: 'readWrite' },
    doc: {
      summary: 'Read an import',
      description: 'Status and counts (`rows = written + skipped + failed` once a run ended), and `reportUrl`, a 15-minute link to the error CSV when the run left rows unwritten.',
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 200, description: 'The import.', schema: importWithReportResponse, headers: ['ETag'] },
      errors: { 404: notFound },
    },
  },
  {
    method: 'POST',
    path: '/imports/{id}/run',
    auth: 'jwt',
    handler: 'functions/imports/run-import.ts',
    access: { table: 'readWrite', files: 'readWrite', startFlow: 'import' },
    doc: {
      summary: 'Run an import (or a dry run)',
      description:
        'Checks the upload before a row is read, then starts the import flow and answers at once: every row is checked as `POST /customers` checks a body; a dry run (`{"dryRun": true}`) also ' +
        'looks for duplicates in the tenant and the file and counts what a run would do, writing nothing. A run writes in batches of 1,000 rows through the same guards as the API: a duplicate ' +
        'is reported with the existing customer and its owner, never created twice. Once a run has started writing, every later `/run` continues that run (after a failure, a crash) without writing or counting a row twice; ' +
        '`{"resume": true}` is needed only for a run that still shows `running` after a crash.',
      tags: ['Integrations'],
      pathParameters: id,
      requestBody: { schema: runImportInput, description: '`{}` to run, `{"dryRun": true}` to validate, `{"resume": true}` to continue.' },
      success: { status: 202, description: 'Started; poll `GET /imports/{id}`.', schema: importResponse, headers: ['Location', 'ETag'] },
      errors: {
        400: `Nothing uploaded or an empty file, one over ${MAX_IMPORT_BYTES} bytes (\`file\`); a header that cannot be read, over ${MAX_IMPORT_COLUMNS} columns, with an unknown or repeated column (\`header.<column>\`), or that the mapping does not fit (\`mapping.<column>\`).`,
        404: notFound,
        409: 'The import is running (`import-running`), completed or cancelled (`import-closed`), or a dry run was asked after rows were written (`import-writing`).',
      },
    },
  },
  {
    method: 'POST',
    path: '/imports/{id}/cancel',
    auth: 'jwt',
    handler: 'functions/imports/cancel-import.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Cancel an import',
      description: 'A running import stops before its next batch; the batches already written stay.',
      tags: ['Integrations'],
      pathParameters: id,
      success: { status: 200, description: 'Cancelled.', schema: importResponse, headers: ['ETag'] },
      errors: { 404: notFound, 409: 'Completed or cancelled already (`import-closed`).' },
    },
  },
]);
