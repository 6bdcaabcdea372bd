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

/** Cells as a JSON lines object: column -> cell, empty cells left out. */
const jsonObject = (cells: readonly string[], columns: readonly string[]) => Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']).filter(([, cell]) => cell !== ''));

/** A customer's record as a JSON lines object: column -> cell, empty cells left out. */
export const jsonRecord = (customer: Customer, columns: readonly string[]) => jsonObject(customerCells(customer, columns), columns);

/** A customer's CSV row: the cells, each neutralised. */
export const csvRow = (customer: Customer, columns: readonly string[]) => customerCells(customer, columns).map(neutralizeCell);

/** The whole file from the customers in order; CSV through csv-stringify. */
export function exportBody(format: ExportFormat, columns: readonly string[], customers: AsyncIterable<Customer>): Promise<Buffer> {
  return fileBody(
    format,
    columns,
    (async function* () {
      for await (const customer of customers) yield customerCells(customer, columns);
    })(),
  );
}

/** The whole file from records given as the cells of `columns`, whatever the entity. */
export async function fileBody(format: ExportFormat, columns: readonly string[], records: AsyncIterable<string[]>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer | string>) => {
    for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8'));
  };
  if (format === 'jsonl') {
    await collect(
      (async function* () {
        for await (const cells of records) yield `${JSON.stringify(jsonObject(cells, columns))}\n`;
      })(),
    );
  } else {
    const rows = Readable.from(
      (async function* () {
        for await (const cells of records) yield cells.map(neutralizeCell);
      })(),
    );
    // Excel reads UTF-8 only with the BOM; csv-parse (imports) drops it again.
    await pipeline(rows, stringify({ header: true, columns: [...columns], bom: true, quoted: true, record_delimiter: 'windows' }), collect);
  }
  return Buffer.concat(chunks);
}
