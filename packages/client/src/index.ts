import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { ErrorResponse, HttpMethod, MediaType, PathsWithMethod, Readable } from 'openapi-typescript-helpers';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** The API's named schemas: `Schemas['Customer']`, `Schemas['CreateCustomerInput']`, ... */
export type Schemas = components['schemas'];

/** Every error the API answers in its own words is `application/problem+json` (RFC 9457). */
export type Problem = Schemas['ProblemDetails'];
/** One failing field of a 400 `validation-failed` problem: `{path: 'emails.0', message}`. */
export type FieldError = Schemas['FieldError'];

/**
 * The error body an operation may answer, as the document lists it: the union of its non-2xx
 * responses (problem+json, and API Gateway's `{message}` for a 401), e.g.
 * `CrmError<'post', '/customers'>` includes `DuplicateCustomerProblem`. The type of openapi-fetch's
 * `error` for that call, to name in a signature.
 */
export type CrmError<M extends HttpMethod, P extends PathsWithMethod<paths, M>> =
  paths[P] extends Record<M, { responses: infer Responses extends Record<string | number, unknown> }> ? Readable<ErrorResponse<Responses, MediaType>> : never;

export type CrmClient = Client<paths>;

/** A Cognito ID token, or where to get the current one (tokens expire after an hour: refresh there). */
export type TokenSource = { token: string; getToken?: never } | { getToken: () => string | undefined | Promise<string | undefined>; token?: never };

export type CrmClientOptions = TokenSource & {
  /** The API's URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com` or `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** Another fetch (tests, retries, tracing); the global one by default. */
  fetch?: ClientOptions['fetch'];
  /** Headers sent with every request. */
  headers?: ClientOptions['headers'];
};

/**
 * A client whose paths, parameters, bodies and answers are typed by the OpenAPI document:
 *
 *   const crm = createCrmClient({ baseUrl, token });
 *   const { data, error, response } = await crm.POST('/customers', { body: { name: 'Ada' } });
 *
 * It throws only when the network fails; an HTTP error is `error` (a `Problem`), never an exception.
 */
export function createCrmClient(options: CrmClientOptions): CrmClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch, headers: options.headers });
  client.use(bearer(options.getToken ?? (() => options.token)));
  return client;
}

function bearer(getToken: () => string | undefined | Promise<string | undefined>): Middleware {
  return {
    async onRequest({ request }) {
      // Per request, not at creation: a refreshed token is used as soon as the getter returns it.
      const token = await getToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

/** True for an RFC 9457 body as this API writes them (`type` is `urn:crm:problem:<slug>`). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const { type, status } = value as Record<string, unknown>;
  return typeof type === 'string' && type.startsWith('urn:crm:problem:') && typeof status === 'number';
}

/** The problem's slug: `validation-failed` for `urn:crm:problem:validation-failed`. */
export function problemSlug(problem: Problem): string {
  return problem.type.slice('urn:crm:problem:'.length);
}
