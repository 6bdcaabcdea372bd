/** One step of a path inside a pattern: an object key, or an index into an array. */
export type PathSegment = string | number;

// Keys that read unambiguously after a dot; anything else (spaces, dots, quotes...) is bracketed
// so that `detail["a.b"]` is not mistaken for `detail.a.b`.
const PLAIN_KEY = /^[\w$-]+$/;

/** Renders a path as `detail.amount[0].numeric`, or `(root)` for the pattern itself. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** A pattern that EventBridge would refuse (PutRule answers InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  /** Where in the pattern the problem is, e.g. `detail.amount[0].numeric`; `(root)` for the whole pattern. */
  readonly path: string;
  /** The problem without the path prefix. */
  readonly reason: string;

  constructor(path: readonly PathSegment[], reason: string) {
    const rendered = formatPath(path);
    super(`Invalid event pattern at ${rendered}: ${reason}`);
    this.path = rendered;
    this.reason = reason;
  }
}
