import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { CustomFieldDefinition } from '../custom-fields/custom-field-definition';
import type { Customer } from '../customers/customer';
import { neutralizeCell } from '../files/formula-cells';
import { CUSTOMER_COLUMNS, customerCells } from '../imports/customer-columns';
import type { ExportFormat } from './export-job';

/**
 * An export's file: the columns an import takes (shared/imports/customer-columns.ts), so the file
 * imports as it is. CSV for spreadsheets (UTF-8 with a BOM, every value quoted, formula cells
 * neutralised per OWASP), JSON lines for programs (one object per customer keyed by the same
 * column names, values as written, never neutralised: no spreadsheet opens them).
 */

/** The fixed columns, then one per consent topic any exported customer has, then one per custom field of the tenant. */
export function exportColumns(definitions: readonly Pick<CustomFieldDefinition, 'key'>[], consentTopics: Iterable<string>): string[] {
  return [...CUSTOMER_COLUMNS, ...[...new Set(consentTopics)].sort().map((t) => `consent.${t}`), ...definitions.map((d) => `customFields.${d.key}`)];
}

/** A customer's record as a JSON lines object: column -> cell, empty cells left out. */
export function jsonRecord(customer: Customer, columns: readonly string[]): Record<string, string> {
  const cells = customerCells(customer, columns);
  return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']).filter(([, cell]) => cell !== ''));
}

/** A customer's CSV row: the cells, each neutralised. */
export const csvRow = (customer: Customer, columns: readonly string[]) => customerCells(customer, columns).map(neutralizeCell);

/** The whole file from the customers in order; CSV through csv-stringify. */
export async function exportBody(format: ExportFormat, columns: readonly string[], customers: AsyncIterable<Customer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer | string>) => {
    for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8'));
  };
  if (format === 'jsonl') {
    await collect(
      (async function* () {
        for await (const customer of customers) yield `${JSON.stringify(jsonRecord(customer, columns))}\n`;
      })(),
    );
  } else {
    const rows = Readable.from(
      (async function* () {
        for await (const customer of customers) yield csvRow(customer, columns);
      })(),
    );
    // Excel reads UTF-8 only with the BOM; csv-parse (imports) drops it again.
    await pipeline(rows, stringify({ header: true, columns: [...columns], bom: true, quoted: true, record_delimiter: 'windows' }), collect);
  }
  return Buffer.concat(chunks);
}
