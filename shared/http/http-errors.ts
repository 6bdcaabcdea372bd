/**
 * Failures only the HTTP edge can see: the body's size, media type and JSON syntax, and a missing
 * If-Match header. They are no domain errors, so they carry their status themselves; the problem
 * mapper (problem.ts) renders them like domain errors.
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly slug: string;
}

export class MalformedBody extends HttpError {
  readonly status = 400;
  // The same problem type as an unreadable unsubscribe link (MalformedRequest): clients handle both alike.
  readonly slug = 'malformed-request';
}

export class PayloadTooLarge extends HttpError {
  readonly status = 413;
  readonly slug = 'payload-too-large';
}

export class UnsupportedMediaType extends HttpError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
}

export class PreconditionRequired extends HttpError {
  readonly status = 428;
  readonly slug = 'precondition-required';
}
