import { describe, expect, it } from 'vitest';
import { NotFound, ValidationFailed } from '../../../shared/errors';
import { MalformedBody } from '../../../shared/http/http-errors';
import { bodyText, checkJsonBody, checkPathParameters, checkQuery, MAX_JSON_DEPTH } from '../../../shared/http/request-checks';

const ULID = '01JD0000000000000000000000';
const errorsOf = (run: () => void) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  return [];
};
const paths = (run: () => void) => errorsOf(run).map((e) => e.path);
const nested = (levels: number): unknown => (levels === 0 ? 'leaf' : { a: nested(levels - 1) });

describe('path parameters', () => {
  it('pass when each fits its format', () => {
    expect(paths(() => checkPathParameters({ id: ULID, contactId: ULID, userId: 'rep-1@acme', email: 'a%40b.com', token: 'abc.def' }))).toEqual([]);
  });

  it.each([
    ['an id over DynamoDB’s key limit', 'x'.repeat(3000)],
    ['an empty id', ''],
    ['a lower-case ULID', ULID.toLowerCase()],
    ['NUL', `${ULID.slice(0, 25)}\u0000`],
  ])('answer 404 naming path.<name> for a record id that is %s (an id that cannot exist)', (_, id) => {
    expect(() => checkPathParameters({ id })).toThrow(new NotFound('Not found: path.id is no id of this API (ids are ULIDs such as 01JD5X8Q2V3M4N5P6R7S8T9VWX)'));
  });

  it.each(['%zz', 'ab%C', '%C0%AF', '%FF'])('answer 400 naming the parameter for a malformed escape (%s), whatever its format', (value) => {
    expect(errorsOf(() => checkPathParameters({ id: value, email: `a${value}@b.c` }))).toEqual([
      { path: 'path.id', message: 'Malformed percent-escape' },
      { path: 'path.email', message: 'Malformed percent-escape' },
    ]);
  });

  it.each([
    ['userId', 'x'.repeat(129)],
    ['token', 'no-dot'],
    ['token', `${'a'.repeat(400)}.${'b'.repeat(400)}`],
    ['email', 'x'.repeat(800)],
    ['email', 'a\u0000@b.c'],
  ])('answer 400 naming path.%s for %j', (name, value) => {
    expect(errorsOf(() => checkPathParameters({ [name]: value }))).toEqual([{ path: `path.${name}`, message: expect.stringMatching(/^Expected /) }]);
  });

  it('name every failing parameter, and one the table does not know', () => {
    expect(paths(() => checkPathParameters({ userId: 'a b', token: 'nope', slug: 'x' }))).toEqual(['path.userId', 'path.token', 'path.slug']);
  });

  it('answer 404 for a public key outside its format, as for one that names nothing', () => {
    expect(() => checkPathParameters({ formKey: 'garbage' })).toThrow(new NotFound('No such form'));
    expect(() => checkPathParameters({ formKey: `acme.${'x'.repeat(32)}` })).not.toThrow();
  });
});

describe('query values', () => {
  it('are bounded (cursors more loosely) and free of NUL', () => {
    expect(paths(() => checkQuery({ name: 'Ada', cursor: 'c'.repeat(2000), limit: undefined }))).toEqual([]);
    expect(paths(() => checkQuery({ name: 'x'.repeat(513), tag: 'a\u0000b', cursor: 'c'.repeat(5000) }))).toEqual(['query.name', 'query.tag', 'query.cursor']);
    expect(paths(() => checkQuery({ 'a\u0000b': '1', ['n'.repeat(600)]: '1' }))).toEqual(['query.a\uFFFDb', `query.${'n'.repeat(64)}`]);
  });
});

describe('JSON bodies', () => {
  it(`may nest ${MAX_JSON_DEPTH} levels, not more, naming where it went too deep`, () => {
    expect(paths(() => checkJsonBody(nested(MAX_JSON_DEPTH)))).toEqual([]);
    expect(paths(() => checkJsonBody(nested(MAX_JSON_DEPTH + 1)))).toEqual([Array.from({ length: MAX_JSON_DEPTH }, () => 'a').join('.')]);
    expect(paths(() => checkJsonBody({ payload: [[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]] }))).toEqual(['payload.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0']);
  });

  it('refuse NUL and lone surrogates in values and field names, naming the field', () => {
    const body = { name: 'A\u0000da', tags: ['ok', 'bad\uD800'], payload: { 'k\uDC00': 1 }, emoji: '\uD83D\uDE00' };
    expect(errorsOf(() => checkJsonBody(body))).toEqual([
      { path: 'name', message: expect.stringContaining('NUL') },
      { path: 'tags.1', message: expect.stringContaining('lone surrogate') },
      { path: 'payload.k\uDC00', message: expect.stringContaining('field name') },
    ]);
  });

  it('refuse numbers DynamoDB or the document client cannot store exactly', () => {
    expect(paths(() => checkJsonBody({ a: 1e20, b: -1e300, c: 1e-200, d: 0, e: 12.5, f: Number.MAX_SAFE_INTEGER }))).toEqual(['a', 'b', 'c']);
  });

  it('list at most 20 errors for a hostile body', () => {
    expect(paths(() => checkJsonBody(Array.from({ length: 100 }, () => '\u0000')))).toHaveLength(20);
  });
});

describe('invalid UTF-8', () => {
  const bytes = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);

  it('names the strings where the bad bytes were', () => {
    const { text, invalidUtf8 } = bodyText(bytes.toString('base64'), true);
    expect(invalidUtf8).toBe(true);
    expect(paths(() => checkJsonBody(JSON.parse(text), { invalidUtf8 }))).toEqual(['name']);
  });

  it('refuses the body as a whole when the bad bytes are outside any string', () => {
    const { text, invalidUtf8 } = bodyText(Buffer.concat([Buffer.from('{"a":1}'), Buffer.from([0x20, 0xff])]).toString('base64'), true);
    expect(invalidUtf8).toBe(true);
    expect(() => checkJsonBody(JSON.parse(text.replace('\uFFFD', '')), { invalidUtf8 })).toThrow(MalformedBody);
  });

  it('passes valid UTF-8, base64 or not', () => {
    expect(bodyText(Buffer.from('{"n":"é"}').toString('base64'), true)).toEqual({ text: '{"n":"é"}', invalidUtf8: false });
    expect(bodyText('{"n":"é"}', false)).toEqual({ text: '{"n":"é"}', invalidUtf8: false });
  });
});
