/**
 * Where the files bucket keeps what imports and exports move (docs/integrations.md). Every key
 * starts with the tenant, as every table key does, so a grant or a lifecycle rule can name one.
 */

/** How long uploads, chunks, reports and exports stay in the bucket (its lifecycle rule). */
export const FILES_KEPT_DAYS = 7;

const tenantPrefix = (tenantId: string) => `tenants/${tenantId}`;

export const fileKeys = {
  /** The CSV as uploaded through the import's presigned link. */
  importUpload: (tenantId: string, importId: string) => `${tenantPrefix(tenantId)}/imports/${importId}/upload.csv`,
  /** The valid rows of one batch of a run, as JSON lines (prepared once per run). */
  importChunk: (tenantId: string, importId: string, runId: string, chunk: number) => `${tenantPrefix(tenantId)}/imports/${importId}/${runId}/chunks/${chunk}.jsonl`,
  /** The rows one batch could not write (duplicates, races), as JSON lines. */
  importChunkRejects: (tenantId: string, importId: string, runId: string, chunk: number) => `${tenantPrefix(tenantId)}/imports/${importId}/${runId}/rejects/${chunk}.jsonl`,
  /** The rows the validation refused, as JSON lines. */
  importInvalidRows: (tenantId: string, importId: string, runId: string) => `${tenantPrefix(tenantId)}/imports/${importId}/${runId}/invalid.jsonl`,
  /** The error CSV a user downloads: every row not written, with why. */
  importReport: (tenantId: string, importId: string, runId: string) => `${tenantPrefix(tenantId)}/imports/${importId}/${runId}/errors.csv`,
  /** An export's file. */
  export: (tenantId: string, exportId: string, extension: 'csv' | 'jsonl') => `${tenantPrefix(tenantId)}/exports/${exportId}.${extension}`,
} as const;
