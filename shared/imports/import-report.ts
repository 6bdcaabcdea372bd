import { stringify } from 'csv-stringify/sync';
import { neutralizeCell } from '../files/formula-cells';
import type { Reject } from './import-rows';

/** The report's own columns, before the file's: which row, what became of it, why, and the record it collided with. */
export const REPORT_COLUMNS = ['row', 'line', 'outcome', 'errors', 'existingId', 'existingOwnerId'] as const;

/**
 * The error CSV of a run: one line per row not written, its cells as they were (so the user
 * fixes them and imports the report again: a mapping leaves the report's own columns out),
 * cells neutralised against formula injection as exports are. UTF-8 with a BOM, which spreadsheet
 * programs need to read it as UTF-8.
 */
export function importReportCsv(header: readonly string[], rejects: readonly Reject[]): string {
  const lines = rejects.map((r) => [
    String(r.row),
    String(r.line),
    r.outcome,
    r.errors.map((e) => `${e.column}: ${e.message}`).join(' | '),
    r.existingId ?? '',
    r.existingOwnerId ?? '',
    ...header.map((_, i) => r.cells[i] ?? ''),
  ]);
  return `\ufeff${stringify([[...REPORT_COLUMNS, ...header], ...lines].map((line) => line.map(neutralizeCell)))}`;
}
