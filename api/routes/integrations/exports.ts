import { createExportInput, DOWNLOAD_LINK_SECONDS, EXPORT_KEPT_DAYS, EXPORT_PAGE_SIZE, MAX_EXPORT_ROWS } from '../../../shared/exports/export-job';
import { exportPageResponse, exportResponse } from '../../responses/exports';
import { areaRoutes } from '../../route';

const notFound = 'No such export, or one of another user (only its requester and admins read an export).';

/** Exports: customers as a CSV or JSON lines file behind a short-lived link (docs/integrations.md, "Exports"). */
export const EXPORTS_ROUTES = areaRoutes('exports', 'integrations', [
  {
    method: 'POST',
    path: '/exports',
    auth: 'jwt',
    handler: 'functions/exports/request-export.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Export customers, contacts, deals, leads or the product catalogue to a file',
      description:
        'Queues an export of the customers the caller may see (a rep their own book, a manager their team and the unowned, admins, marketers and agents the tenant): all of them, ' +
        "those a `filter` selects (GET /customers' filters as JSON), or a segment's members (`segmentId`; marketers and admins). The file has the columns an import takes, so it " +
        `imports as it is: CSV (default; UTF-8 with a BOM, cells a spreadsheet would run as a formula start with \`'\`) or JSON lines (\`format: "jsonl"\`). At most ${MAX_EXPORT_ROWS.toLocaleString('en')} customers. ` +
        '`entity: "contacts"` exports the contacts of the company customers so selected; `entity: "deals"` the deals of the customers a filter or segment selects, or without one every deal the caller may list (as `GET /deals`: a rep their own, a manager their team\'s, admins all), open, won and lost; `entity: "leads"` exports every lead the caller may see (their own, a manager their team\'s and the unassigned, marketers and admins all); `entity: "products"` exports the whole catalogue (prices per currency and level as the product import reads them back; no segment or filter). Poll the `Location` until `status` is `completed`.',
      tags: ['Integrations'],
      requestBody: { schema: createExportInput, description: 'What to export, and as what.' },
      success: { status: 202, description: 'Queued.', schema: exportResponse, headers: ['Location'] },
      errors: {
        400: 'An unknown entity or format (`entity`, `format`); both `segmentId` and `filter` (`filter`); a segment or filter for leads or products (`segmentId`, `filter`); an unknown or invalid filter, named by its field (`filter.stage`); no such segment (`segmentId`).',
        403: "The caller's role lists no customers; a rep filtering on another owner; a segment export by someone who does not use segments (`forbidden`).",
      },
    },
  },
  {
    method: 'GET',
    path: '/exports',
    auth: 'jwt',
    handler: 'functions/exports/list-exports.ts',
    access: { table: 'read' },
    doc: {
      summary: "The caller's exports",
      description: `Newest first, for ${EXPORT_KEPT_DAYS} days after each was asked for; without links (read one to get its link). \`limit\` (1-${EXPORT_PAGE_SIZE.max}, default ${EXPORT_PAGE_SIZE.default}) and \`cursor\`.`,
      tags: ['Integrations'],
      success: { status: 200, description: 'A page of exports.', schema: exportPageResponse },
      errors: { 400: 'A limit out of range or a cursor this list did not return (`query.limit`, `query.cursor`).' },
    },
  },
  {
    method: 'GET',
    path: '/exports/{id}',
    auth: 'jwt',
    handler: 'functions/exports/get-export.ts',
    access: { table: 'read', files: 'readWrite' },
    doc: {
      summary: 'Read an export',
      description: `Its status and, once completed and while its file is kept (7 days), \`downloadUrl\`: a link signed afresh on each read, working for ${DOWNLOAD_LINK_SECONDS / 60} minutes, saving the file as \`customers-<date>.csv\`. Its requester and admins.`,
      tags: ['Integrations'],
      pathParameters: { id: 'Export id' },
      success: { status: 200, description: 'The export.', schema: exportResponse },
      errors: { 404: notFound },
    },
  },
]);
