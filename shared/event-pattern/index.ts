/**
 * EventBridge event patterns: validation with the errors PutRule would give, and matching with
 * the semantics of the EventBridge docs (content filtering) and of Event Ruler, the engine behind
 * EventBridge rules and Lambda FilterCriteria. Used by the local event bus, by event-source
 * mapping filters on DynamoDB stream records, and by tenant marketing automations.
 */
import { InvalidEventPatternError } from './errors';
import { matchesObject } from './match';
import { compileObject, isPlainObject } from './parse';
import type { EventPattern, ObjectNode } from './types';

export type { EventPattern } from './types';
export { InvalidEventPatternError } from './errors';

// Compiled form of every pattern parseEventPattern returned. Keyed by the returned object, so an
// object that merely looks like an EventPattern is never trusted and is validated instead.
const compiled = new WeakMap<object, ObjectNode>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function compile(pattern: unknown): { json: Record<string, unknown>; root: ObjectNode } {
  let json: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      json = JSON.parse(pattern);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new InvalidEventPatternError([], `not valid JSON (${detail})`);
    }
  }
  if (!isPlainObject(json)) {
    throw new InvalidEventPatternError([], 'an event pattern must be a JSON object');
  }
  return { json, root: compileObject(json, [], false) };
}

/**
 * Validates a pattern given as an object or a JSON string and returns it compiled.
 * Throws InvalidEventPatternError, whose `path` names the offending part (`detail.amount[0]`).
 * A JSON string with a repeated key keeps the last one, as EventBridge does.
 */
export function parseEventPattern(pattern: unknown): EventPattern {
  const { json, root } = compile(pattern);
  // A private copy: later changes to the caller's object cannot desynchronise `json` and `root`.
  const copy = deepFreeze(JSON.parse(JSON.stringify(json)) as Record<string, unknown>);
  // toJSON makes JSON.stringify(pattern) the pattern text rather than a wrapper around it.
  const result = Object.freeze({ json: copy, toJSON: () => copy }) as unknown as EventPattern;
  compiled.set(result, root);
  return result;
}

/**
 * Whether `event` matches. Given anything but a value returned by parseEventPattern, the pattern
 * is validated first (and InvalidEventPatternError thrown); parse once when matching many events.
 */
export function matchesEventPattern(pattern: EventPattern | unknown, event: unknown): boolean {
  const known = typeof pattern === 'object' && pattern !== null ? compiled.get(pattern) : undefined;
  return matchesObject(known ?? compile(pattern).root, event);
}
