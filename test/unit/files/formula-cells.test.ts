import { describe, expect, it } from 'vitest';
import { neutralizeCell, restoreCell } from '../../../shared/files/formula-cells';

describe('formula cells (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+49 30 1234567', `'+49 30 1234567`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\tcmd', `'\tcmd`],
    ['\r=1', `'\r=1`],
  ])('quotes %j, which a spreadsheet would run', (cell, written) => {
    expect(neutralizeCell(cell)).toBe(written);
  });

  it.each(['Acme GmbH', 'a=b', ' =1', '', "'quoted", "O'Brien", '49-30'])('leaves %j as it is', (cell) => {
    expect(neutralizeCell(cell)).toBe(cell);
    expect(restoreCell(cell)).toBe(cell);
  });

  it('adds one more quote to a value that already starts with quotes before a trigger, so restoring keeps the typed ones', () => {
    expect(neutralizeCell("'=x")).toBe("''=x");
    expect(neutralizeCell("''+1")).toBe("'''+1");
  });

  it.each(['=1+1', '+49 30 1', "'=x", "''@y", '-', '\t', 'plain', "'", "'plain", '@'])('restores what it neutralised: %j', (cell) => {
    expect(restoreCell(neutralizeCell(cell))).toBe(cell);
  });

  it('takes the quote off cells a spreadsheet user quoted by hand', () => {
    expect(restoreCell("'+49 30 1234567")).toBe('+49 30 1234567');
  });
});
