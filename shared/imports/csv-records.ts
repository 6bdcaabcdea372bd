import { Readable } from 'node:stream';
import { type CsvError, parse } from 'csv-parse';
import type { ImportEncoding } from './import-job';

/**
 * A CSV file as records, streamed (a 100 MB file is never held whole): bytes are decoded as
 * UTF-8 (with or without BOM) or Latin-1 (Windows-1252, what spreadsheet programs write in
 * Western Europe), the delimiter is the header's most frequent of `,` `;` tab `|` unless stated,
 * and quoting, quoted newlines and escaped quotes are csv-parse's (docs/integrations.md, "Files").
 */

/** How many bytes `auto` looks at to tell UTF-8 from Latin-1. */
const SNIFF_BYTES = 64 * 1024;
/** The longest record csv-parse will build: a row of 10,000 columns fits, a file without line ends does not. */
const MAX_RECORD_CHARS = 1_000_000;
const DELIMITERS = [',', ';', '\t', '|'] as const;

export type CsvRecord =
  /** `line`: where the record ends in the file (1-based; a quoted newline spans lines), so users find it in an editor. */
  | { ok: true; cells: string[]; line: number }
  /** A record the parser could not read (a quote never closed, a record too long). */
  | { ok: false; message: string; line: number };

export interface CsvShape {
  encoding: Exclude<ImportEncoding, 'auto'>;
  delimiter: string;
}

/**
 * The first bytes as text: UTF-8 when they decode as UTF-8 (a sequence cut at the end is not an
 * error), else Latin-1. Pure, for the sniffing and its tests.
 */
export function detectEncoding(head: Uint8Array): CsvShape['encoding'] {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'latin1';
  }
}

/** The delimiter of the first line: the most frequent candidate outside quotes (comma on a tie or none). */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** `windows-1252` is what "Latin-1" means in practice (the WHATWG Encoding standard maps the label so). */
const decoderLabel = (encoding: CsvShape['encoding']) => (encoding === 'utf-8' ? 'utf-8' : 'windows-1252');

/**
 * Records of a CSV byte stream: the header first, then each data row (or why it could not be
 * read: the parser skips it and goes on). `shape` takes what the caller knows and detects the rest.
 */
export async function* csvRecords(bytes: AsyncIterable<Uint8Array>, options: { encoding: ImportEncoding; delimiter: string | null }): AsyncGenerator<CsvRecord, CsvShape> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  while (headSize < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.length;
  }
  const headBytes = Buffer.concat(head);
  const encoding = options.encoding === 'auto' ? detectEncoding(headBytes) : options.encoding;
  const decoder = new TextDecoder(decoderLabel(encoding));
  const firstText = decoder.decode(headBytes, { stream: true });
  const delimiter = options.delimiter ?? detectDelimiter(firstText);

  async function* text(): AsyncGenerator<string> {
    yield firstText;
    if (!done) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield decoder.decode(next.value, { stream: true });
    }
    yield decoder.decode();
  }

  const skipped: CsvRecord[] = [];
  const parser = Readable.from(text()).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_RECORD_CHARS,
      info: true,
      on_skip: (error: CsvError | undefined) => {
        skipped.push({ ok: false, message: error?.message ?? 'Unreadable record', line: (error as { lines?: number } | undefined)?.lines ?? 0 });
        return undefined;
      },
    }),
  );
  // A skipped record may be reported before the records read ahead of it: keep file order.
  const before = (line: number) => {
    const earlier = skipped.filter((s) => s.line < line);
    skipped.splice(0, skipped.length, ...skipped.filter((s) => s.line >= line));
    return earlier;
  };
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* before(info.lines);
    yield { ok: true, cells: record, line: info.lines };
  }
  yield* skipped.splice(0);
  return { encoding, delimiter };
}
