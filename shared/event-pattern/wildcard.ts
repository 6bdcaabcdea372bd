import { InvalidEventPatternError, type PathSegment } from './errors';

/** The literal runs between the `*`s of a wildcard; one run means the pattern has no `*`. */
export interface WildcardPattern {
  readonly segments: readonly string[];
}

/**
 * Parses a wildcard value with the documented rules: `*` is any run of characters (possibly
 * empty), `\*` a literal star, `\\` a literal backslash; a backslash before anything else, and
 * two `*` in a row, are rejected (EventBridge refuses consecutive wildcards because of the
 * matching complexity they cause).
 */
export function parseWildcard(text: string, path: readonly PathSegment[]): WildcardPattern {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '*') {
      if (text[i + 1] === '*') {
        throw new InvalidEventPatternError(path, `consecutive wildcard characters at position ${i} are not allowed`);
      }
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(
          path,
          `invalid escape at position ${i}: a backslash may only escape "*" or "\\"`,
        );
      }
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return { segments };
}

/**
 * Whether `value` matches. With only `*` as a metacharacter, taking the leftmost occurrence of
 * each middle run is always safe, so this is linear and cannot backtrack catastrophically.
 */
export function matchesWildcard(pattern: WildcardPattern, value: string): boolean {
  const { segments } = pattern;
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let position = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] ?? '';
    const found = value.indexOf(segment, position);
    if (found === -1 || found + segment.length > end) return false;
    position = found + segment.length;
  }
  return true;
}
