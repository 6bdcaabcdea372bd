import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from '../../../shared/event-pattern';

// Patterns EventBridge refuses. Each row is [what is wrong, pattern, expected path, words the
// reason must contain]; a row fails if the pattern is accepted or the error names another place.

function rejection(pattern: unknown): InvalidEventPatternError {
  try {
    parseEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error(`pattern was accepted: ${typeof pattern === 'string' ? pattern : JSON.stringify(pattern)}`);
}

type Row = [string, unknown, string, string];

function rejects(rows: Row[]): void {
  it.each(rows)('%s', (_label, pattern, path, reason) => {
    const error = rejection(pattern);
    expect(error.path).toBe(path);
    expect(error.reason).toContain(reason);
    expect(error.message).toBe(`Invalid event pattern at ${path}: ${error.reason}`);
  });
}

describe('the error', () => {
  it('is an Error carrying the path and the reason', () => {
    const error = rejection({ detail: { amount: 5 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.path).toBe('detail.amount');
    expect(error.message).toContain('detail.amount');
  });

  it('is thrown by matchesEventPattern for an invalid raw pattern', () => {
    expect(() => matchesEventPattern({ detail: { amount: [] } }, { detail: { amount: 1 } })).toThrow(
      InvalidEventPatternError,
    );
  });

  it('brackets keys that would be ambiguous after a dot', () => {
    expect(rejection({ 'a.b': 'x' }).path).toBe('["a.b"]');
    expect(rejection({ detail: { 'first name': [] } }).path).toBe('detail["first name"]');
  });
});

describe('document shape', () => {
  rejects([
    ['not JSON', '{"source": [', '(root)', 'not valid JSON'],
    ['a JSON array', '["x"]', '(root)', 'must be a JSON object'],
    ['an array', ['x'], '(root)', 'must be a JSON object'],
    ['null', null, '(root)', 'must be a JSON object'],
    ['a number', 5, '(root)', 'must be a JSON object'],
    ['a class instance', new Date(0), '(root)', 'must be a JSON object'],
    ['an empty pattern', {}, '(root)', 'empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'detail', 'empty objects are not allowed'],
  ]);
});

describe('fields and leaf arrays', () => {
  rejects([
    ['a leaf that is a string', { detail: { amount: '5' } }, 'detail.amount', 'must be an array'],
    ['a leaf that is a number', { detail: { amount: 5 } }, 'detail.amount', 'not number 5'],
    ['a leaf that is null', { detail: { amount: null } }, 'detail.amount', 'not null'],
    ['a leaf that is a boolean', { vip: true }, 'vip', 'not boolean true'],
    ['a leaf that is a Date', { at: new Date(0) }, 'at', 'must be an array'],
    ['an empty leaf array', { detail: { state: [] } }, 'detail.state', 'empty arrays are not allowed'],
    ['an array inside a leaf array', { state: ['a', ['b']] }, 'state[1]', 'not an array'],
    ['NaN', { n: [Number.NaN] }, 'n[0]', 'not a JSON number'],
    ['Infinity', { n: [Number.POSITIVE_INFINITY] }, 'n[0]', 'not a JSON number'],
    ['undefined', { n: [undefined] }, 'n[0]', 'not undefined'],
    ['an unknown operator', { detail: { state: [{ contains: 'x' }] } }, 'detail.state[0]', 'unknown operator "contains"'],
    ['an empty operator object', { state: [{}] }, 'state[0]', 'exactly one operator'],
    ['two operators in one object', { state: [{ prefix: 'a', suffix: 'b' }] }, 'state[0]', 'got prefix, suffix'],
  ]);
});

describe('prefix, suffix, equals-ignore-case', () => {
  rejects([
    ['prefix with a number', { s: [{ prefix: 1 }] }, 's[0].prefix', 'prefix takes a string'],
    ['prefix with a list', { s: [{ prefix: ['a'] }] }, 's[0].prefix', 'prefix takes a string'],
    ['prefix with another nested operator', { s: [{ prefix: { wildcard: 'a' } }] }, 's[0].prefix', 'equals-ignore-case'],
    ['prefix ignoring case of a number', { s: [{ prefix: { 'equals-ignore-case': 1 } }] }, 's[0].prefix', 'prefix takes'],
    ['suffix with null', { s: [{ suffix: null }] }, 's[0].suffix', 'suffix takes a string'],
    ['suffix with two nested keys', { s: [{ suffix: { 'equals-ignore-case': 'a', x: 1 } }] }, 's[0].suffix', 'suffix takes'],
    ['equals-ignore-case with a list', { s: [{ 'equals-ignore-case': ['a'] }] }, 's[0].equals-ignore-case', 'takes a string'],
  ]);
});

describe('wildcard', () => {
  rejects([
    ['not a string', { s: [{ wildcard: 5 }] }, 's[0].wildcard', 'wildcard takes a string'],
    ['consecutive wildcards', { s: [{ wildcard: 'a**b' }] }, 's[0].wildcard', 'consecutive wildcard characters at position 1'],
    ['a backslash escaping a letter', { s: [{ wildcard: 'a\\b' }] }, 's[0].wildcard', 'invalid escape at position 1'],
    ['a trailing backslash', { s: [{ wildcard: 'ab\\' }] }, 's[0].wildcard', 'invalid escape at position 2'],
  ]);

  it('accepts an escaped star next to a wildcard, which is not two wildcards', () => {
    expect(matchesEventPattern({ s: [{ wildcard: '\\**' }] }, { s: '*tail' })).toBe(true);
  });
});

describe('anything-but', () => {
  rejects([
    ['a boolean', { s: [{ 'anything-but': true }] }, 's[0].anything-but', 'not boolean true'],
    ['null', { s: [{ 'anything-but': null }] }, 's[0].anything-but', 'not null'],
    ['an empty list', { s: [{ 'anything-but': [] }] }, 's[0].anything-but', 'empty arrays are not allowed'],
    ['a mixed list', { s: [{ 'anything-but': ['a', 1] }] }, 's[0].anything-but', 'only strings or only numbers'],
    ['a list with null', { s: [{ 'anything-but': ['a', null] }] }, 's[0].anything-but', 'only strings or only numbers'],
    ['a number beyond 5e9', { s: [{ 'anything-but': 6e9 }] }, 's[0].anything-but', 'between -5e9 and 5e9'],
    ['a listed number with 7 decimals', { s: [{ 'anything-but': [1, 0.1234567] }] }, 's[0].anything-but[1]', 'at most 6 decimal places'],
    ['an object with two operators', { s: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] }, 's[0].anything-but', 'exactly one of'],
    ['an empty object', { s: [{ 'anything-but': {} }] }, 's[0].anything-but', 'exactly one of'],
    ['an unsupported nested operator', { s: [{ 'anything-but': { numeric: ['>', 1] } }] }, 's[0].anything-but.numeric', 'does not support "numeric"'],
    ['an empty list of prefixes', { s: [{ 'anything-but': { prefix: [] } }] }, 's[0].anything-but.prefix', 'empty arrays are not allowed'],
    ['a number in a list of prefixes', { s: [{ 'anything-but': { prefix: ['a', 1] } }] }, 's[0].anything-but.prefix[1]', 'takes a string'],
    ['an empty prefix in a list', { s: [{ 'anything-but': { prefix: ['a', ''] } }] }, 's[0].anything-but.prefix[1]', 'must not be empty'],
    ['a prefix object', { s: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }] }, 's[0].anything-but.prefix', 'string or a list of strings'],
    ['an empty prefix', { s: [{ 'anything-but': { prefix: '' } }] }, 's[0].anything-but.prefix', 'must not be empty'],
    ['an empty suffix', { s: [{ 'anything-but': { suffix: '' } }] }, 's[0].anything-but.suffix', 'must not be empty'],
    ['equals-ignore-case with a number', { s: [{ 'anything-but': { 'equals-ignore-case': 1 } }] }, 's[0].anything-but.equals-ignore-case', 'string or a list of strings'],
    ['equals-ignore-case with a number in a list', { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 2] } }] }, 's[0].anything-but.equals-ignore-case[1]', 'takes a string'],
    ['equals-ignore-case with an empty list', { s: [{ 'anything-but': { 'equals-ignore-case': [] } }] }, 's[0].anything-but.equals-ignore-case', 'empty arrays'],
    ['an invalid wildcard in a list', { s: [{ 'anything-but': { wildcard: ['a*', 'b**'] } }] }, 's[0].anything-but.wildcard[1]', 'consecutive wildcard'],
    ['an invalid single wildcard', { s: [{ 'anything-but': { wildcard: 'a\\x' } }] }, 's[0].anything-but.wildcard', 'invalid escape'],
  ]);
});

describe('numeric', () => {
  rejects([
    ['not an array', { n: [{ numeric: '>5' }] }, 'n[0].numeric', 'numeric takes'],
    ['one element', { n: [{ numeric: ['>'] }] }, 'n[0].numeric', 'of length 1'],
    ['three elements', { n: [{ numeric: ['>', 0, '<'] }] }, 'n[0].numeric', 'of length 3'],
    ['five elements', { n: [{ numeric: ['>', 0, '<', 5, 6] }] }, 'n[0].numeric', 'of length 5'],
    ['an unknown operator', { n: [{ numeric: ['!=', 5] }] }, 'n[0].numeric[0]', 'unknown numeric operator'],
    ['an operator that is not a string', { n: [{ numeric: [5, '>'] }] }, 'n[0].numeric[0]', 'unknown numeric operator'],
    ['a numeric string value', { n: [{ numeric: ['>', '5'] }] }, 'n[0].numeric[1]', 'must be a number'],
    ['a value beyond 5e9', { n: [{ numeric: ['<', 5e9 + 1] }] }, 'n[0].numeric[1]', 'between -5e9 and 5e9'],
    ['a value below -5e9', { n: [{ numeric: ['>', -6e9] }] }, 'n[0].numeric[1]', 'between -5e9 and 5e9'],
    ['more than six decimals', { n: [{ numeric: ['=', 1e-7] }] }, 'n[0].numeric[1]', 'at most 6 decimal places'],
    ['a range written upper bound first', { n: [{ numeric: ['<', 10, '>', 0] }] }, 'n[0].numeric[0]', 'start with its lower bound'],
    ['= followed by a second comparison', { n: [{ numeric: ['=', 1, '<', 2] }] }, 'n[0].numeric[0]', 'start with its lower bound'],
    ['two lower bounds', { n: [{ numeric: ['>', 0, '>=', 5] }] }, 'n[0].numeric[2]', 'end with its upper bound'],
    ['an upper bound that is not a number', { n: [{ numeric: ['>', 0, '<', null] }] }, 'n[0].numeric[3]', 'must be a number'],
    ['an empty range', { n: [{ numeric: ['>=', 5, '<=', 5] }] }, 'n[0].numeric', 'must be less than the upper bound'],
    ['an inverted range', { n: [{ numeric: ['>', 10, '<', 0] }] }, 'n[0].numeric', 'must be less than the upper bound'],
  ]);

  it('accepts the documented limits themselves', () => {
    expect(matchesEventPattern({ n: [{ numeric: ['>=', -5e9, '<=', 5e9] }] }, { n: 0.000001 })).toBe(true);
  });

  it('does not limit exact numbers, which also match literally (account ids)', () => {
    expect(matchesEventPattern({ account: [123456789012] }, { account: 123456789012 })).toBe(true);
  });
});

describe('exists', () => {
  rejects([
    ['a string', { s: [{ exists: 'true' }] }, 's[0].exists', 'true or false'],
    ['a number', { s: [{ exists: 1 }] }, 's[0].exists', 'true or false'],
  ]);
});

describe('cidr', () => {
  rejects([
    ['not a string', { ip: [{ cidr: 10 }] }, 'ip[0].cidr', 'cidr takes a string'],
    ['no prefix length', { ip: [{ cidr: '10.0.0.0' }] }, 'ip[0].cidr', 'expected address/prefix-length'],
    ['two slashes', { ip: [{ cidr: '10.0.0.0/8/8' }] }, 'ip[0].cidr', 'expected address/prefix-length'],
    ['an empty prefix length', { ip: [{ cidr: '10.0.0.0/' }] }, 'ip[0].cidr', 'non-negative integer'],
    ['a negative prefix length', { ip: [{ cidr: '10.0.0.0/-1' }] }, 'ip[0].cidr', 'non-negative integer'],
    ['a fractional prefix length', { ip: [{ cidr: '10.0.0.0/8.5' }] }, 'ip[0].cidr', 'non-negative integer'],
    ['a hostname', { ip: [{ cidr: 'example.com/24' }] }, 'ip[0].cidr', 'not an IPv4 or IPv6 address'],
    ['an IPv4 octet above 255', { ip: [{ cidr: '10.0.0.256/24' }] }, 'ip[0].cidr', 'not an IPv4 or IPv6 address'],
    ['an IPv6 zone id', { ip: [{ cidr: 'fe80::1%eth0/64' }] }, 'ip[0].cidr', 'not an IPv4 or IPv6 address'],
    ['an IPv4 /32, which EventBridge refuses', { ip: [{ cidr: '10.0.0.1/32' }] }, 'ip[0].cidr', 'must be below 32'],
    ['an IPv4 prefix above 32', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip[0].cidr', 'must be below 32'],
    ['an IPv6 /128, which EventBridge refuses', { ip: [{ cidr: '2001:db8::1/128' }] }, 'ip[0].cidr', 'must be below 128'],
  ]);
});

describe('$or', () => {
  rejects([
    ['an object instead of an array', { $or: { a: ['x'] } }, '$or', 'at least two pattern objects'],
    ['a single branch', { $or: [{ a: ['x'] }] }, '$or', 'at least two pattern objects'],
    ['an empty array', { detail: { $or: [] } }, 'detail.$or', 'at least two pattern objects'],
    ['a branch that is a value', { $or: [{ a: ['x'] }, 'b'] }, '$or[1]', 'must be a pattern object'],
    ['a branch that is an array', { $or: [{ a: ['x'] }, [{ b: ['y'] }]] }, '$or[1]', 'must be a pattern object'],
    ['an empty branch', { $or: [{ a: ['x'] }, {}] }, '$or[1]', 'empty objects are not allowed'],
    ['an operator object as a branch', { $or: [{ numeric: ['>', 1] }, { a: ['x'] }] }, '$or[0].numeric', 'cannot be used as a field name inside $or'],
    ['an operator name deeper in a branch', { $or: [{ a: ['x'] }, { b: { prefix: ['y'] } }] }, '$or[1].b.prefix', 'inside $or'],
    ['an invalid value inside a nested branch', { detail: { $or: [{ a: ['x'] }, { amount: [{ numeric: ['>', 'x'] }] }] } }, 'detail.$or[1].amount[0].numeric[1]', 'must be a number'],
    ['an invalid nested $or', { $or: [{ a: ['x'] }, { b: ['y'], $or: [{ c: ['z'] }] }] }, '$or[1].$or', 'at least two'],
  ]);

  it('allows operator names as ordinary field names outside $or', () => {
    expect(matchesEventPattern({ detail: { prefix: ['x'] } }, { detail: { prefix: 'x' } })).toBe(true);
  });
});
