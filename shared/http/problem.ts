import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, type ErrorKind, ValidationFailed } from '../errors';
import { HttpError } from './http-errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** The one place a domain error's kind becomes an HTTP status. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'precondition-failed': 412,
  'rate-limited': 429,
};

export function problemType(slug: string): string {
  return `urn:crm:problem:${slug}`;
}

export function problemResponse(problem: ProblemDetails): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      // A problem that points somewhere (a merged customer's survivor) says so in Location too.
      ...(typeof problem.location === 'string' ? { location: problem.location } : {}),
      // A rate limit says when to come back (every TooManyRequests carries its seconds).
      ...(problem.status === 429 && typeof problem.retryAfterSeconds === 'number' ? { 'retry-after': String(problem.retryAfterSeconds) } : {}),
    },
    body: JSON.stringify(problem),
  };
}

/** Known errors keep their message; anything else becomes an opaque 500 that leaks no internals. */
export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof DomainError) {
    const status = STATUS_OF_KIND[error.kind];
    return {
      type: problemType(error.slug),
      title: TITLES[status] ?? 'Error',
      status,
      detail: error.message,
      ...(error instanceof ValidationFailed ? { errors: error.errors } : {}),
      ...error.extensions,
    };
  }
  if (error instanceof HttpError) {
    return { type: problemType(error.slug), title: TITLES[error.status] ?? 'Error', status: error.status, detail: error.message };
  }
  return {
    type: problemType('internal-error'),
    title: TITLES[500]!,
    status: 500,
    detail: 'The request could not be completed. It has been logged.',
  };
}
