import { InvalidEventPatternError, type PathSegment } from './errors';
import { foldCase } from './fold-case';
import { parseCidr } from './ip';
import { comparableNumberProblem } from './numeric';
import type { FieldNode, LeafMatcher, NumericBound, ObjectNode, ValueMatcher } from './types';
import { parseWildcard } from './wildcard';

const OR_KEY = '$or';

const OPERATORS = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
] as const;
const OPERATOR_NAMES: ReadonlySet<string> = new Set(OPERATORS);
const OPERATOR_LIST = OPERATORS.join(', ');

const ANYTHING_BUT_OPERATORS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;

type Path = readonly PathSegment[];

function fail(path: Path, reason: string): never {
  throw new InvalidEventPatternError(path, reason);
}

/** A JSON object as JSON.parse builds it; class instances (Date, Map...) are not pattern syntax. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (isPlainObject(value)) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

/** Compiles a pattern object (the root, a nested field, or a `$or` branch). */
export function compileObject(pattern: Record<string, unknown>, path: Path, insideOr: boolean): ObjectNode {
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'empty objects are not allowed');
  const fields: FieldNode[] = [];
  const anyOf: ObjectNode[][] = [];
  for (const key of keys) {
    const value = pattern[key];
    const fieldPath = [...path, key];
    if (key === OR_KEY) {
      anyOf.push(compileOr(value, fieldPath));
      continue;
    }
    // Event Ruler refuses operator names as field names anywhere under `$or`: such a branch is
    // almost always an operator object put where a pattern object belongs.
    if (insideOr && OPERATOR_NAMES.has(key)) {
      fail(fieldPath, `"${key}" is an operator and cannot be used as a field name inside $or`);
    }
    if (Array.isArray(value)) {
      fields.push({ key, kind: 'leaf', matchers: compileLeaf(value, fieldPath) });
    } else if (isPlainObject(value)) {
      fields.push({ key, kind: 'object', node: compileObject(value, fieldPath, insideOr) });
    } else {
      fail(fieldPath, `a field must be an array of match values or a nested object, not ${describe(value)}`);
    }
  }
  return { fields, anyOf };
}

function compileOr(value: unknown, path: Path): ObjectNode[] {
  if (!Array.isArray(value) || value.length < 2) {
    fail(path, '$or must be an array of at least two pattern objects');
  }
  return value.map((branch: unknown, index) => {
    if (!isPlainObject(branch)) {
      fail([...path, index], `a $or branch must be a pattern object, not ${describe(branch)}`);
    }
    return compileObject(branch, [...path, index], true);
  });
}

function compileLeaf(values: readonly unknown[], path: Path): LeafMatcher[] {
  if (values.length === 0) fail(path, 'empty arrays are not allowed');
  return values.map((value, index) => {
    const elementPath = [...path, index];
    if (typeof value === 'string' || typeof value === 'boolean' || value === null) return { kind: 'exact', value };
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(elementPath, `${String(value)} is not a JSON number`);
      return { kind: 'exact', value };
    }
    if (isPlainObject(value)) return compileOperator(value, elementPath);
    return fail(
      elementPath,
      `a match value must be a string, number, boolean, null or an operator object, not ${describe(value)}`,
    );
  });
}

function compileOperator(operatorObject: Record<string, unknown>, path: Path): LeafMatcher {
  const keys = Object.keys(operatorObject);
  const [name] = keys;
  if (name === undefined) fail(path, `an operator object needs exactly one operator (${OPERATOR_LIST})`);
  if (keys.length > 1) fail(path, `an operator object takes exactly one operator, got ${keys.join(', ')}`);
  const operand = operatorObject[name];
  const operandPath = [...path, name];
  switch (name) {
    case 'prefix':
    case 'suffix':
      return compileAffix(name, operand, operandPath);
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', folded: foldCase(requireString(operand, operandPath, name)) };
    case 'wildcard':
      return { kind: 'wildcard', pattern: parseWildcard(requireString(operand, operandPath, name), operandPath) };
    case 'anything-but':
      return { kind: 'anything-but', excluded: compileAnythingBut(operand, operandPath) };
    case 'numeric':
      return compileNumeric(operand, operandPath);
    case 'exists':
      if (typeof operand !== 'boolean') fail(operandPath, `exists takes true or false, not ${describe(operand)}`);
      return { kind: 'exists', exists: operand };
    case 'cidr':
      return { kind: 'cidr', range: parseCidr(requireString(operand, operandPath, name), operandPath) };
    default:
      return fail(path, `unknown operator "${name}" (supported: ${OPERATOR_LIST})`);
  }
}

function requireString(operand: unknown, path: Path, operator: string): string {
  if (typeof operand !== 'string') fail(path, `${operator} takes a string, not ${describe(operand)}`);
  return operand;
}

function compileAffix(name: 'prefix' | 'suffix', operand: unknown, path: Path): ValueMatcher {
  if (typeof operand === 'string') {
    return name === 'prefix'
      ? { kind: 'prefix', prefix: operand, ignoreCase: false }
      : { kind: 'suffix', suffix: operand, ignoreCase: false };
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner = operand['equals-ignore-case'];
    if (keys.length === 1 && typeof inner === 'string') {
      return name === 'prefix'
        ? { kind: 'prefix', prefix: foldCase(inner), ignoreCase: true }
        : { kind: 'suffix', suffix: foldCase(inner), ignoreCase: true };
    }
  }
  return fail(path, `${name} takes a string or {"equals-ignore-case": string}, not ${describe(operand)}`);
}

/**
 * The documented anything-but forms: a string, a number, a list of only strings or only
 * numbers, or one of {prefix|suffix: string} / {equals-ignore-case|wildcard: string or list}.
 * The result is the list of matchers a value must all miss.
 */
function compileAnythingBut(operand: unknown, path: Path): ValueMatcher[] {
  if (typeof operand === 'string') return [{ kind: 'exact', value: operand }];
  if (typeof operand === 'number') {
    checkComparable(operand, path, 'an anything-but number');
    return [{ kind: 'exact', value: operand }];
  }
  if (Array.isArray(operand)) {
    if (operand.length === 0) fail(path, 'empty arrays are not allowed');
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    if (!allStrings && !allNumbers) {
      fail(path, 'an anything-but list must contain only strings or only numbers');
    }
    return operand.map((value: string | number, index) => {
      if (typeof value === 'number') checkComparable(value, [...path, index], 'an anything-but number');
      return { kind: 'exact', value };
    });
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const [name] = keys;
    if (name === undefined || keys.length > 1) {
      fail(path, `anything-but takes exactly one of ${ANYTHING_BUT_OPERATORS.join(', ')} in an object`);
    }
    const inner = operand[name];
    const innerPath = [...path, name];
    switch (name) {
      case 'prefix':
      case 'suffix':
        // EventBridge takes one string or a list of them (the older docs said one only): a value
        // must start (end) with none of them.
        return stringOrStrings(inner, innerPath, name).map((value, index) => {
          const valuePath = Array.isArray(inner) ? [...innerPath, index] : innerPath;
          if (value === '') fail(valuePath, `anything-but ${name} must not be empty`);
          return compileAffix(name, value, valuePath);
        });
      case 'equals-ignore-case':
        return stringOrStrings(inner, innerPath, name).map((value) => ({
          kind: 'equals-ignore-case',
          folded: foldCase(value),
        }));
      case 'wildcard':
        return stringOrStrings(inner, innerPath, name).map((value, index) => ({
          kind: 'wildcard',
          pattern: parseWildcard(value, Array.isArray(inner) ? [...innerPath, index] : innerPath),
        }));
      default:
        return fail(
          innerPath,
          `anything-but does not support "${name}" (supported: ${ANYTHING_BUT_OPERATORS.join(', ')})`,
        );
    }
  }
  return fail(
    path,
    'anything-but takes a string, a number, a list of only strings or only numbers, or an operator object, ' +
      `not ${describe(operand)}`,
  );
}

function stringOrStrings(operand: unknown, path: Path, operator: string): string[] {
  if (typeof operand === 'string') return [operand];
  if (Array.isArray(operand)) {
    if (operand.length === 0) fail(path, 'empty arrays are not allowed');
    return operand.map((value: unknown, index) => requireString(value, [...path, index], `anything-but ${operator}`));
  }
  return fail(path, `anything-but ${operator} takes a string or a list of strings, not ${describe(operand)}`);
}

function checkComparable(value: unknown, path: Path, what: string): asserts value is number {
  if (typeof value !== 'number') fail(path, `${what} must be a number, not ${describe(value)}`);
  const problem = comparableNumberProblem(value);
  if (problem !== undefined) fail(path, `${what} ${problem}`);
}

const SINGLE_OPERATORS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=']);

/**
 * `[op, n]` with op one of = < <= > >=, or a range `[">"|">=", low, "<"|"<=", high]` with the
 * lower bound first, as Event Ruler parses it; anything else is refused.
 */
function compileNumeric(operand: unknown, path: Path): ValueMatcher {
  const shape = 'numeric takes [operator, number] or [">"|">=", low, "<"|"<=", high]';
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail(path, `${shape}, not ${describe(operand)}${Array.isArray(operand) ? ` of length ${operand.length}` : ''}`);
  }
  const [op, first, op2, second] = operand as unknown[];
  if (typeof op !== 'string' || !SINGLE_OPERATORS.has(op)) {
    fail([...path, 0], `unknown numeric operator ${describe(op)} (supported: =, <, <=, >, >=)`);
  }
  checkComparable(first, [...path, 1], `the value of "${op}"`);
  const bound: NumericBound = { value: first, inclusive: op.endsWith('=') };
  if (operand.length === 2) {
    if (op === '=') return { kind: 'numeric', lower: bound, upper: bound };
    return op.startsWith('>') ? { kind: 'numeric', lower: bound } : { kind: 'numeric', upper: bound };
  }
  if (op !== '>' && op !== '>=') {
    fail([...path, 0], `a numeric range must start with its lower bound (">" or ">="), not "${op}"`);
  }
  if (op2 !== '<' && op2 !== '<=') {
    fail([...path, 2], `a numeric range must end with its upper bound ("<" or "<="), not ${describe(op2)}`);
  }
  checkComparable(second, [...path, 3], `the value of "${op2}"`);
  if (second <= first) fail(path, `the lower bound ${first} must be less than the upper bound ${second}`);
  return { kind: 'numeric', lower: bound, upper: { value: second, inclusive: op2 === '<=' } };
}
