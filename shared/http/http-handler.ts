import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { ValidationFailed } from '../errors';
import { logError } from '../log';
import { type LogContext, withLogContext } from '../log-context';
import { callerFromClaims } from './caller';
import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from './http-errors';
import { problemResponse, toProblem } from './problem';
import { bodyText, checkJsonBody, checkPathParameters, checkQuery } from './request-checks';
import { fieldErrors } from '../field-errors';

/** Bodies are records of a CRM, not uploads: anything larger is a client bug or abuse. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export interface HttpRequest<TBody> {
  caller: Caller;
  /** API Gateway's request id: the correlation id of everything this request causes. */
  requestId: string;
  body: TBody;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The client's address as API Gateway saw it (public routes rate-limit on it). */
  sourceIp: string;
}

export type HttpResult = APIGatewayProxyStructuredResultV2;

type AnyEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

interface RouteOptions<TSchema extends z.ZodMiniType | undefined> {
  /** zod schema of the JSON body; omit for routes without a body. */
  body?: TSchema;
  maxBodyBytes?: number;
  /** false only for public routes (health); everything else needs a verified caller. */
  authenticated?: boolean;
}

type BodyOf<TSchema> = TSchema extends z.ZodMiniType ? z.output<TSchema> : undefined;

/**
 * Wraps a use-case call as an API Gateway v2 handler: path parameters (their formats,
 * shared/id-formats.ts), query values, and the body's size, content type, encoding, JSON syntax,
 * depth, text and schema are checked before the use case runs (request-checks.ts); every thrown
 * error becomes problem+json once, here, so a handler stays a thin adapter and no 500 leaks
 * internals. Every response leaves with the kit's headers (`withKitHeaders`).
 */
export function httpHandler<TSchema extends z.ZodMiniType | undefined = undefined>(
  options: RouteOptions<TSchema>,
  run: (request: HttpRequest<BodyOf<TSchema>>) => Promise<HttpResult>,
) {
  const authenticated = options.authenticated !== false;
  const handler = middy<AnyEvent, HttpResult, Error, Context>()
    .onError(async (request) => {
      const problem = toProblem(request.error);
      if (problem.status >= 500) logError('unhandled error', request.error, { path: request.event.rawPath });
      request.response = withKitHeaders(problemResponse(problem), authenticated);
    })
    .handler(async (event) => {
      const caller = authenticated
        ? callerFromClaims('authorizer' in event.requestContext ? event.requestContext.authorizer?.jwt?.claims : undefined)
        : { userId: 'anonymous', tenantId: '', groups: [] };
      const pathParameters = event.pathParameters ?? {};
      checkPathParameters(pathParameters);
      const query = event.queryStringParameters ?? {};
      checkQuery(query);
      const body = parseBody(event, options) as BodyOf<TSchema>;
      const result = await run({
        caller,
        requestId: event.requestContext.requestId,
        body,
        pathParameters,
        query,
        headers: event.headers ?? {},
        sourceIp: event.requestContext.http?.sourceIp ?? 'unknown',
      });
      return withKitHeaders(result, authenticated);
    });
  return withLogContext(httpLogContext, handler);
}

/**
 * The log context of an API request: its API Gateway request id, which is also the correlation
 * id of everything it causes (use cases put it into their events' envelopes), and the tenant of
 * the token, as the authorizer verified it (read before the handler validates it: a line about a
 * refused token still says which tenant it claimed).
 */
export function httpLogContext(event: AnyEvent): LogContext {
  const requestId = event.requestContext?.requestId;
  const claims = 'authorizer' in (event.requestContext ?? {}) ? (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims : undefined;
  const tenant = claims?.['custom:tenantId'];
  return {
    ...(requestId ? { api_request_id: requestId, correlation_id: requestId } : {}),
    ...(typeof tenant === 'string' && tenant ? { tenant_id: tenant } : {}),
  };
}

/**
 * Headers on every response of the kit: `X-Content-Type-Options: nosniff` (a browser never guesses
 * a type other than the one sent), and on every response of an authenticated route
 * `Cache-Control: no-store` (they all carry a tenant's records, personal data among them, which no
 * shared or browser cache may keep). A handler's own Cache-Control (the public HTML pages) stays.
 */
export function withKitHeaders(result: HttpResult, authenticated: boolean): HttpResult {
  const headers = { ...result.headers };
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  headers['x-content-type-options'] = 'nosniff';
  if (authenticated && !has('cache-control')) headers['cache-control'] = 'no-store';
  return { ...result, headers };
}

function parseBody(event: AnyEvent, options: RouteOptions<z.ZodMiniType | undefined>): unknown {
  if (!options.body) return undefined;
  const raw = event.body ?? '';
  const { text, invalidUtf8 } = bodyText(raw, event.isBase64Encoded === true);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (Buffer.byteLength(text, 'utf8') > limit) throw new PayloadTooLarge(`The body exceeds ${limit} bytes`);
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json' && !contentType.endsWith('+json')) {
    throw new UnsupportedMediaType('Send the body as application/json');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedBody('The body is not valid JSON');
  }
  checkJsonBody(json, { invalidUtf8 });
  const parsed = options.body.safeParse(json);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  return parsed.data;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
