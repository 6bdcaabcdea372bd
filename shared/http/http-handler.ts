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
 * Wraps a use-case call as an API Gateway v2 handler: body size, content type, JSON syntax and
 * schema are checked before the use case runs; every thrown error becomes problem+json once,
 * here, so a handler stays a thin adapter and no 500 leaks internals.
 */
export function httpHandler<TSchema extends z.ZodMiniType | undefined = undefined>(
  options: RouteOptions<TSchema>,
  run: (request: HttpRequest<BodyOf<TSchema>>) => Promise<HttpResult>,
) {
  const handler = middy<AnyEvent, HttpResult, Error, Context>()
    .onError(async (request) => {
      const problem = toProblem(request.error);
      if (problem.status >= 500) logError('unhandled error', request.error, { path: request.event.rawPath });
      request.response = problemResponse(problem);
    })
    .handler(async (event) => {
      const caller =
        options.authenticated === false
          ? { userId: 'anonymous', tenantId: '', groups: [] }
          : callerFromClaims('authorizer' in event.requestContext ? event.requestContext.authorizer?.jwt?.claims : undefined);
      const body = parseBody(event, options) as BodyOf<TSchema>;
      return run({
        caller,
        requestId: event.requestContext.requestId,
        body,
        pathParameters: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: event.headers ?? {},
        sourceIp: event.requestContext.http?.sourceIp ?? 'unknown',
      });
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

function parseBody(event: AnyEvent, options: RouteOptions<z.ZodMiniType | undefined>): unknown {
  if (!options.body) return undefined;
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
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
  const parsed = options.body.safeParse(json);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  return parsed.data;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
