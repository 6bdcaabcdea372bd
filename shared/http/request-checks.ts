import { type FieldError, NotFound, ValidationFailed } from '../errors';
import { type IdFormat, PATH_PARAMETER_FORMATS } from '../id-formats';
import { MalformedBody } from './http-errors';

/**
 * What the HTTP kit checks on every request before a handler runs, so that no input the table
 * cannot hold reaches DynamoDB (where it would fail as a 500) and none is stored silently altered.
 * Pure functions; `http-handler.ts` calls them in order: path, query, then the body.
 */

/**
 * DynamoDB stores documents nested at most 32 levels deep. A body's values are stored a few levels
 * further in (an activity's payload in its item, a value inside an event's detail): half the limit
 * is far more than any record of the CRM needs and leaves that room.
 */
export const MAX_JSON_DEPTH = 16;

/** No query value can be longer and still name something (sort key values are at most 1024 bytes). */
export const MAX_QUERY_VALUE_BYTES = 512;
/** Cursors are opaque keys, longer than other values; `decodeCursor` checks what they hold. */
export const MAX_CURSOR_BYTES = 4096;

/** Numbers DynamoDB stores and the document client marshals without loss: safe integers, and no magnitude below 1e-130. */
const MAX_NUMBER = Number.MAX_SAFE_INTEGER;
const MIN_MAGNITUDE = 1e-130;

/** At most this many errors are listed for one body: enough to fix it, bounded for a hostile one. */
const MAX_LISTED_ERRORS = 20;

/**
 * A value with a malformed percent-escape is a 400 naming `path.<name>`; one that does not fit its
 * format a 404 where the format says so (record ids), else a 400 naming `path.<name>`.
 */
export function checkPathParameters(parameters: Record<string, string | undefined>, formats: Readonly<Record<string, IdFormat>> = PATH_PARAMETER_FORMATS): void {
  // API Gateway decodes path parameters: a `%` escape still in one did not decode (`%zz`, bytes that are no UTF-8).
  const undecoded = Object.entries(parameters).filter(([, value]) => value !== undefined && hasMalformedEscape(value));
  if (undecoded.length) throw new ValidationFailed(undecoded.map(([name]) => ({ path: `path.${name}`, message: 'Malformed percent-escape' })));
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const format = formats[name];
    if (value !== undefined && format?.pattern.test(value)) continue;
    if (format?.notFound) throw new NotFound(format.notFound(name));
    errors.push({ path: `path.${name}`, message: format ? `Expected ${format.description}` : 'Not a parameter of this API' });
  }
  if (errors.length) throw new ValidationFailed(errors);
}

function hasMalformedEscape(value: string): boolean {
  if (!value.includes('%')) return false;
  try {
    decodeURIComponent(value);
    return false;
  } catch {
    return true;
  }
}

/** Query values: bounded, and text without NUL (the gateway has already decoded them). */
export function checkQuery(query: Record<string, string | undefined>): void {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const max = name === 'cursor' ? MAX_CURSOR_BYTES : MAX_QUERY_VALUE_BYTES;
    const nameProblem = Buffer.byteLength(name, 'utf8') > MAX_QUERY_VALUE_BYTES ? 'The parameter name is too long' : textProblem(name);
    const problem = nameProblem ? `${nameProblem} (in the parameter name)` : Buffer.byteLength(value, 'utf8') > max ? `At most ${max} bytes` : textProblem(value);
    if (problem) errors.push({ path: `query.${name.slice(0, 64).replace(/\u0000/g, '\uFFFD')}`, message: problem });
    if (errors.length >= MAX_LISTED_ERRORS) break;
  }
  if (errors.length) throw new ValidationFailed(errors);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

/**
 * The body's text. A base64 body (the gateway sends bytes that are no text so) must be valid UTF-8:
 * `invalidUtf8` then tells the JSON check to name the strings where the bad bytes were.
 */
export function bodyText(raw: string, isBase64Encoded: boolean): { text: string; invalidUtf8: boolean } {
  if (!isBase64Encoded) return { text: raw, invalidUtf8: false };
  const bytes = Buffer.from(raw, 'base64');
  try {
    return { text: STRICT_UTF8.decode(bytes), invalidUtf8: false };
  } catch {
    return { text: LENIENT_UTF8.decode(bytes), invalidUtf8: true };
  }
}

/**
 * Walks a parsed JSON body once: nesting at most MAX_JSON_DEPTH, every string (keys too) free of
 * NUL and lone surrogates, every number one DynamoDB stores. 400 naming each failing field, as the
 * schema's errors do (`payload.a.b`, `tags.2`). With `invalidUtf8`, the strings where the decoder
 * put replacement characters are named; if none is found the body as a whole is.
 */
export function checkJsonBody(value: unknown, options: { invalidUtf8?: boolean } = {}): void {
  const errors: FieldError[] = [];
  const report = (path: readonly (string | number)[], message: string) => {
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ path: path.map(String).join('.'), message });
  };
  const checkText = (text: string, path: readonly (string | number)[], what: string) => {
    if (options.invalidUtf8 && text.includes('\uFFFD')) return report(path, `The ${what} is not valid UTF-8`);
    const problem = textProblem(text);
    if (problem) report(path, what === 'text' ? problem : `${problem} (in a field name)`);
  };
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (errors.length >= MAX_LISTED_ERRORS) return;
    if (typeof node === 'string') return checkText(node, path, 'text');
    if (typeof node === 'number') {
      if (Math.abs(node) > MAX_NUMBER) report(path, `Expected a number from -${MAX_NUMBER} to ${MAX_NUMBER}`);
      else if (node !== 0 && Math.abs(node) < MIN_MAGNITUDE) report(path, 'Numbers this close to 0 cannot be stored');
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (depth >= MAX_JSON_DEPTH) return report(path, `Nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i], depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      checkText(key, [...path, key], 'field name');
      walk(item, [...path, key], depth + 1);
    }
  };
  walk(value, [], 0);
  if (options.invalidUtf8 && !errors.length) throw new MalformedBody('The body is not valid UTF-8');
  if (errors.length) throw new ValidationFailed(errors);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be stored as sent, or undefined: NUL, and halves of a surrogate pair (no UTF-8 encodes them). */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'Text may not contain NUL (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'Text may not contain a lone surrogate (U+D800-U+DFFF)';
  return undefined;
}
