/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`,
 * `-`, `@`, tab or carriage return as a formula. Files the CRM writes prefix such cells with a
 * single quote, which spreadsheets show as text; imports take the quote off again, so a phone
 * number (`+49 ...`) goes round an export and an import unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The cell as it was before `neutralizeCell`. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
