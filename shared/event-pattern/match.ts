import { foldCase } from './fold-case';
import { ipInRange } from './ip';
import { isComparableEventNumber } from './numeric';
import type { JsonScalar, LeafMatcher, ObjectNode, ValueMatcher } from './types';
import { matchesWildcard } from './wildcard';

/**
 * The scalars found at a leaf. Arrays are flattened ("if the value in the event is an array, the
 * pattern matches if the intersection ... is non-empty"); objects, empty arrays and missing fields
 * contribute nothing, which is what makes `exists` a test on leaf nodes only.
 */
function leafValues(value: unknown, out: JsonScalar[] = []): JsonScalar[] {
  if (Array.isArray(value)) {
    for (const element of value) leafValues(element, out);
  } else if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
    out.push(value);
  }
  return out;
}

/**
 * The objects a nested pattern is tried against. Each element of an event array is tried on its
 * own, so every field of one pattern object must be satisfied by the same element (Event Ruler's
 * "array consistency": no match may combine fields from different elements of one array).
 */
function candidates(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const element of value) candidates(element, out);
  } else {
    out.push(value);
  }
  return out;
}

function matchesValue(matcher: ValueMatcher, value: JsonScalar): boolean {
  switch (matcher.kind) {
    case 'exact':
      // Numbers compare by value (300 matches 3.0e2): Event Ruler compiles a number in a pattern
      // into a numeric-equality matcher as well as a literal one.
      return value === matcher.value;
    case 'prefix':
      return typeof value === 'string' && (matcher.ignoreCase ? foldCase(value) : value).startsWith(matcher.prefix);
    case 'suffix':
      return typeof value === 'string' && (matcher.ignoreCase ? foldCase(value) : value).endsWith(matcher.suffix);
    case 'equals-ignore-case':
      return typeof value === 'string' && foldCase(value) === matcher.folded;
    case 'wildcard':
      return typeof value === 'string' && matchesWildcard(matcher.pattern, value);
    case 'numeric': {
      // "Numeric matching works with values that are JSON numbers": "5" is a string, not 5.
      if (!isComparableEventNumber(value)) return false;
      const { lower, upper } = matcher;
      if (lower && (lower.inclusive ? value < lower.value : value <= lower.value)) return false;
      if (upper && (upper.inclusive ? value > upper.value : value >= upper.value)) return false;
      return true;
    }
    case 'cidr':
      return typeof value === 'string' && ipInRange(matcher.range, value);
    case 'anything-but':
      // "Matches anything except what's provided in the rule": any value, of any type, that none
      // of the excluded matchers accepts. It is only ever asked about a value that is present.
      return !matcher.excluded.some((excluded) => matchesValue(excluded, value));
  }
}

function matchesLeaf(matchers: readonly LeafMatcher[], values: readonly JsonScalar[]): boolean {
  if (values.length === 0) {
    // A missing field (or one holding an object or []) is matched only by {"exists": false};
    // in particular [null] and {"anything-but": ...} need the field to be there.
    return matchers.some((matcher) => matcher.kind === 'exists' && !matcher.exists);
  }
  return matchers.some((matcher) =>
    matcher.kind === 'exists' ? matcher.exists : values.some((value) => matchesValue(matcher, value)),
  );
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function matchesOne(node: ObjectNode, candidate: unknown): boolean {
  const record = asRecord(candidate);
  for (const field of node.fields) {
    const value = record !== undefined && Object.hasOwn(record, field.key) ? record[field.key] : undefined;
    const matched =
      field.kind === 'leaf' ? matchesLeaf(field.matchers, leafValues(value)) : matchesObject(field.node, value);
    if (!matched) return false;
  }
  return node.anyOf.every((branches) => branches.some((branch) => matchesOne(branch, candidate)));
}

/** Whether the event value (object, array of objects, or anything else) satisfies a pattern object. */
export function matchesObject(node: ObjectNode, value: unknown): boolean {
  const all = candidates(value);
  // An empty array holds no fields at all, so only absence tests can match it.
  return all.length === 0 ? matchesOne(node, undefined) : all.some((candidate) => matchesOne(node, candidate));
}
