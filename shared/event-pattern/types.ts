import type { IpRange } from './ip';
import type { WildcardPattern } from './wildcard';

/** The JSON scalars an event leaf can hold; objects and arrays are structure, not values. */
export type JsonScalar = string | number | boolean | null;

declare const eventPatternBrand: unique symbol;

/**
 * A validated event pattern. Only `parseEventPattern` makes one, so holding one proves the
 * pattern was accepted. `json` is the pattern itself (deep-frozen), and JSON.stringify gives the
 * pattern text, ready for PutRule or FilterCriteria.
 */
export interface EventPattern {
  readonly [eventPatternBrand]: true;
  readonly json: Readonly<Record<string, unknown>>;
  toJSON(): Readonly<Record<string, unknown>>;
}

/** An inclusive or exclusive bound of a numeric condition. */
export interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

/** A test on one scalar of the event. `exists` is not here: it is about the field, not a value. */
export type ValueMatcher =
  | { readonly kind: 'exact'; readonly value: JsonScalar }
  | { readonly kind: 'prefix'; readonly prefix: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly suffix: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly folded: string }
  | { readonly kind: 'wildcard'; readonly pattern: WildcardPattern }
  | { readonly kind: 'numeric'; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'anything-but'; readonly excluded: readonly ValueMatcher[] };

/** One element of a leaf array: a value test, or a presence test on the field. */
export type LeafMatcher = ValueMatcher | { readonly kind: 'exists'; readonly exists: boolean };

export type FieldNode =
  | { readonly key: string; readonly kind: 'leaf'; readonly matchers: readonly LeafMatcher[] }
  | { readonly key: string; readonly kind: 'object'; readonly node: ObjectNode };

/** A pattern object: every field must match, and every `$or` group must have one matching branch. */
export interface ObjectNode {
  readonly fields: readonly FieldNode[];
  readonly anyOf: readonly (readonly ObjectNode[])[];
}
