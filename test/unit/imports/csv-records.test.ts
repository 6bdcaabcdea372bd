import { describe, expect, it } from 'vitest';
import { type CsvRecord, csvRecords, detectDelimiter, detectEncoding } from '../../../shared/imports/csv-records';

/** The records of a file given in pieces of `size` bytes (a stream cuts anywhere, inside a character too). */
async function records(bytes: Buffer, options: { encoding?: 'auto' | 'utf-8' | 'latin1'; delimiter?: string } = {}, size = 3) {
  const pieces = async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
  const out: CsvRecord[] = [];
  const generator = csvRecords(pieces(), { encoding: options.encoding ?? 'auto', delimiter: options.delimiter ?? null });
  for (let next = await generator.next(); ; next = await generator.next()) {
    if (next.done) return { out, shape: next.value };
    out.push(next.value);
  }
}

describe('CSV records', () => {
  it('read UTF-8 with a BOM, semicolons and a quoted newline, whatever the pieces', async () => {
    const { out, shape } = await records(Buffer.from('\ufeffname;city\n"Müller; Söhne";"Köln\nNord"\nŁódź;Ü\n', 'utf8'));
    expect(shape).toEqual({ encoding: 'utf-8', delimiter: ';' });
    expect(out).toEqual([
      { ok: true, cells: ['name', 'city'], line: 1 },
      { ok: true, cells: ['Müller; Söhne', 'Köln\nNord'], line: 3 },
      { ok: true, cells: ['Łódź', 'Ü'], line: 4 },
    ]);
  });

  it('tell Latin-1 (Windows-1252) from UTF-8, and take an encoding when told', async () => {
    const latin = Buffer.from('name,city\nZoë,Köln\n', 'latin1');
    expect(detectEncoding(latin)).toBe('latin1');
    expect((await records(latin)).out[1]).toEqual({ ok: true, cells: ['Zoë', 'Köln'], line: 2 });
    // The euro sign is 0x80 in Windows-1252, what spreadsheets write.
    expect((await records(Buffer.from([0x6e, 0x0a, 0x80, 0x0a]), { encoding: 'latin1' })).out[1]).toMatchObject({ cells: ['€'] });
    // A UTF-8 character cut at the end of the sniffed bytes is still UTF-8.
    expect(detectEncoding(Buffer.from('aé', 'utf8').subarray(0, 2))).toBe('utf-8');
  });

  it('pick the header line’s most frequent delimiter outside quotes', () => {
    expect(detectDelimiter('a,b,c\n1;2;3;4;5')).toBe(',');
    expect(detectDelimiter('"x,y";b;c\n')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a|b')).toBe('|');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('report a record it cannot read in file order and go on; rows of another width are records all the same', async () => {
    const { out } = await records(Buffer.from('a,b\n1,2,3\n\n"x""y",z\n"open,\n'));
    expect(out).toEqual([
      { ok: true, cells: ['a', 'b'], line: 1 },
      { ok: true, cells: ['1', '2', '3'], line: 2 },
      { ok: true, cells: ['x"y', 'z'], line: 4 },
      { ok: false, message: expect.stringContaining('Quote Not Closed'), line: 5 },
    ]);
  });
});
