import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod/mini';
import type { Caller } from '../access/caller';
import { documentClient } from '../aws/dynamodb';
import { Unauthenticated, ValidationFailed } from '../errors';
import { logError } from '../log';
import { type LogContext, withLogContext } from '../log-context';
import { callerFromClaims } from './caller';
import { MalformedBody, PayloadTooLarge, UnsupportedMediaType } from './http-errors';
import { htmlPage } from './html-page';
import { type ProblemDetails, problemResponse, toProblem } from './problem';
import { bodyText, checkJsonBody, checkPathParameters, checkQuery } from './request-checks';
import { fieldErrors } from '../field-errors';
import { optionalEnv } from '../runtime-env';
import { PeopleCache } from '../users/people';
import { UserDirectory } from '../users/user-repository';
import { personIds, withPersonNames } from './person-names';

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
  /**
   * The body is an HTML form (`application/x-www-form-urlencoded`, what a page's `<form method="post">`
   * sends) rather than JSON: its fields, as strings, are checked against `body`. An empty body is `{}`.
   * `'or-json'`: either, by the content type (the public web forms: a page's plain `<form>` or a script).
   */
  form?: boolean | 'or-json';
  /**
   * Public pages (the survey links): a problem answers a browser (one that asks for `text/html`)
   * with this page, under the same status, instead of problem+json. Other clients still get the problem.
   */
  htmlErrors?: (problem: ProblemDetails) => string;
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
      const wantsHtml = options.htmlErrors !== undefined && /\btext\/html\b/i.test(request.event.headers?.accept ?? '');
      const response = wantsHtml ? { ...htmlPage(options.htmlErrors!(problem)), statusCode: problem.status } : problemResponse(problem);
      request.response = withKitHeaders(response, authenticated);
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
      const people = authenticated ? peopleCache() : undefined;
      if (people) await refuseDeactivated(people, caller);
      const result = await run({
        caller,
        requestId: event.requestContext.requestId,
        body,
        pathParameters,
        query,
        headers: event.headers ?? {},
        sourceIp: event.requestContext.http?.sourceIp ?? 'unknown',
      });
      return withKitHeaders(people ? await namePeople(people, caller.tenantId, result) : result, authenticated);
    });
  return withLogContext(httpLogContext, handler);
}

let directoryCopy: PeopleCache | null | undefined;

/**
 * The container's copy of the directories (shared/users/people.ts). Every authenticated route
 * has the table; a kit run without one (unit tests of the kit) answers without names.
 */
function peopleCache(): PeopleCache | undefined {
  if (directoryCopy === undefined) {
    const tableName = optionalEnv('TABLE_NAME');
    const directory = tableName ? new UserDirectory(documentClient, tableName) : undefined;
    directoryCopy = directory ? new PeopleCache((tenantId) => directory.people(tenantId)) : null;
  }
  return directoryCopy ?? undefined;
}

/**
 * A deactivated user's ID token stays valid until it expires (API Gateway cannot revoke it), so
 * the kit refuses it, as soon as this container's directory copy knows (30 s at most).
 */
async function refuseDeactivated(cache: PeopleCache, caller: Caller): Promise<void> {
  const person = (await cache.lookup(caller.tenantId, [caller.userId])).get(caller.userId);
  if (person && !person.active) throw new Unauthenticated('This user was deactivated');
}

/** The body with display names beside the user ids it names (shared/http/person-names.ts). */
async function namePeople(cache: PeopleCache, tenantId: string, result: HttpResult): Promise<HttpResult> {
  if (!jsonBodies.has(result)) return result;
  const body = jsonBodies.get(result);
  const ids = personIds(body);
  if (ids.size === 0) return result;
  return { ...result, body: JSON.stringify(withPersonNames(body, await cache.lookup(tenantId, ids))) };
}

/** The values json() serialized, so names can be added without parsing the body again. */
const jsonBodies = new WeakMap<HttpResult, unknown>();

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
  const contentType = mediaType(event.headers ?? {});
  if (options.form === true || (options.form === 'or-json' && contentType === FORM_MEDIA_TYPE)) return parseForm(text, contentType, options.body);
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

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** The request's media type, lowercase, without parameters (`charset`). */
export function mediaType(headers: Record<string, string | undefined>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Whether the body came from a page's plain HTML form (a browser that wants a page, not JSON, back). */
export const isHtmlFormPost = (headers: Record<string, string | undefined>) => mediaType(headers) === FORM_MEDIA_TYPE;

/** A form body's fields (the last of a repeated name wins), checked like a JSON body. */
function parseForm(text: string, contentType: string, schema: z.ZodMiniType): unknown {
  if (text !== '' && contentType !== FORM_MEDIA_TYPE) throw new UnsupportedMediaType('Send the form as application/x-www-form-urlencoded');
  const fields = Object.fromEntries(new URLSearchParams(text));
  checkJsonBody(fields, { invalidUtf8: false });
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new ValidationFailed(fieldErrors(parsed.error));
  return parsed.data;
}

/**
 * The origin this request reached, for links mailed back to the visitor: API Gateway routes a
 * request to this API only under its own host names, so `host` is one of them, not the client's
 * choice. https, except on this machine (the local runtime serves http).
 */
export function requestOrigin(headers: Record<string, string | undefined>): string {
  const host = headers.host ?? 'localhost';
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}`;
}

/** 303 See Other: a browser that posted a form goes on to `location` with a GET. */
export function seeOther(location: string): HttpResult {
  return { statusCode: 303, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  const result = { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
  jsonBodies.set(result, body);
  return result;
}
