/**
 * CSV injection ("formula injection", OWASP): a spreadsheet opening a CSV runs a cell that starts
 * with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(...)`, DDE). CSV
 * exports write such a cell with a leading single quote, which spreadsheets show as text; imports
 * take the quote off again, so phones (`+49 ...`) and negative numbers survive a round trip. Pure.
 *
 * The pair is exact inverses: a value that already starts with quotes before a trigger character
 * (`'=x`) gets one more, so restoring never eats a quote the user typed.
 */

/** Quotes, then a character a spreadsheet starts a formula with. */
const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
/** What `neutralizeCell` wrote: at least one quote before the trigger character. */
const QUOTED = /^'+[=+\-@\t\r]/;

/** The cell as a CSV export writes it: a leading `'` when a spreadsheet would read a formula. */
export function neutralizeCell(cell: string): string {
  return NEEDS_QUOTE.test(cell) ? `'${cell}` : cell;
}

/** The cell as it was before `neutralizeCell`: an import of an exported file calls this on every cell. */
export function restoreCell(cell: string): string {
  return QUOTED.test(cell) ? cell.slice(1) : cell;
}
