import { describe, expect, it } from 'vitest';
import {
  Conflict,
  CustomerMerged,
  type DomainError,
  type ErrorKind,
  Forbidden,
  Gone,
  MalformedRequest,
  NotFound,
  PreconditionFailed,
  StaleVersion,
  TooManyRequests,
  Unauthenticated,
  ValidationFailed,
} from '../../../shared/errors';
import { MalformedBody, PayloadTooLarge, PreconditionRequired, UnsupportedMediaType } from '../../../shared/http/http-errors';
import { problemResponse, STATUS_OF_KIND, toProblem } from '../../../shared/http/problem';

describe('toProblem', () => {
  // The statuses and titles clients have always seen; a changed mapping must fail here first.
  it.each<[DomainError, number, string, string]>([
    [new ValidationFailed([{ path: 'name', message: 'Required' }]), 400, 'Bad Request', 'validation-failed'],
    [new MalformedRequest('This unsubscribe link is not valid'), 400, 'Bad Request', 'malformed-request'],
    [new Unauthenticated('A valid token with a tenant is required'), 401, 'Unauthorized', 'unauthenticated'],
    [new Forbidden('No'), 403, 'Forbidden', 'forbidden'],
    [new NotFound('Nothing'), 404, 'Not Found', 'not-found'],
    [new Conflict('Taken'), 409, 'Conflict', 'conflict'],
    [new Gone('Gone'), 410, 'Gone', 'gone'],
    [new PreconditionFailed('Old'), 412, 'Precondition Failed', 'precondition-failed'],
    [new TooManyRequests('Slow down', 30), 429, 'Too Many Requests', 'too-many-requests'],
  ])('maps %o to %i %s', (error, status, title, slug) => {
    expect(toProblem(error)).toEqual({
      type: `urn:crm:problem:${slug}`,
      title,
      status,
      detail: error.message,
      ...(error instanceof ValidationFailed ? { errors: error.errors } : {}),
      ...error.extensions,
    });
  });

  it('gives every kind a client-error status', () => {
    const kinds = Object.keys(STATUS_OF_KIND) as ErrorKind[];
    expect(kinds.map((k) => STATUS_OF_KIND[k]).every((s) => s >= 400 && s < 500)).toBe(true);
  });

  it('spreads the extensions of a domain error into the body after the standard members', () => {
    const problem = toProblem(new StaleVersion('customer', 4));
    expect(Object.keys(problem)).toEqual(['type', 'title', 'status', 'detail', 'currentVersion', 'currentETag']);
    expect(problem).toMatchObject({ status: 412, currentVersion: 4, currentETag: '"4"' });
  });

  it('sends a merged customer\'s survivor as Location too', () => {
    const res = problemResponse(toProblem(new CustomerMerged('c-1', 'c-2')));
    expect(res).toMatchObject({ statusCode: 410, headers: { 'content-type': 'application/problem+json', location: '/customers/c-2' } });
    expect(JSON.parse(String(res.body))).toMatchObject({ type: 'urn:crm:problem:customer-merged', title: 'Gone', mergedInto: 'c-2' });
  });

  it('tells a 429 when to try again, in the body and in Retry-After', () => {
    const res = problemResponse(toProblem(new TooManyRequests('Slow down', 42)));
    expect(res).toMatchObject({ statusCode: 429, headers: { 'retry-after': '42' } });
    expect(JSON.parse(String(res.body))).toMatchObject({ retryAfterSeconds: 42 });
  });

  it.each([
    [new MalformedBody('The body is not valid JSON'), 400, 'Bad Request', 'malformed-request'],
    [new PayloadTooLarge('The body exceeds 100 bytes'), 413, 'Content Too Large', 'payload-too-large'],
    [new UnsupportedMediaType('Send the body as application/json'), 415, 'Unsupported Media Type', 'unsupported-media-type'],
    // No title was ever registered for 428; the body has always said 'Error'.
    [new PreconditionRequired('Send If-Match with the ETag of the version you edited'), 428, 'Error', 'precondition-required'],
  ])('renders the HTTP kit\'s own %o with its status', (error, status, title, slug) => {
    expect(toProblem(error)).toEqual({ type: `urn:crm:problem:${slug}`, title, status, detail: error.message });
  });

  it('turns anything else into an opaque 500', () => {
    expect(toProblem(new Error('secret-table'))).toEqual({
      type: 'urn:crm:problem:internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request could not be completed. It has been logged.',
    });
  });
});
