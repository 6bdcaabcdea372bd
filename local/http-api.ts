import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { apiDocsResponse } from './api-docs';
import { flattenClaims, type LocalTokens } from './local-tokens';
import { LOCAL_ACCOUNT } from './template-resolver';
import { DEFAULT_ROUTE_KEY, type LocalRoute } from './wiring';

/** API Gateway HTTP APIs refuse payloads over 10 MB before any Lambda runs. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

export type ControlHandler = (request: { method: string; path: string; body: unknown; query: URLSearchParams }) => Promise<{ status: number; body: unknown; headers?: Record<string, string> } | undefined>;

interface CompiledRoute extends LocalRoute {
  matcher: RegExp;
  params: string[];
}

/**
 * An HTTP server that behaves like the deployed HTTP API: routes and their authorization from the
 * template, JWT verification like the Cognito authorizer (401 `{"message":"Unauthorized"}`),
 * payload format 2.0 events, API Gateway's own 404/413/500 bodies. `/_local/*` goes to the
 * runtime's control routes, which the AWS deployment does not have.
 */
export async function startHttpApi(options: {
  /** A port to bind, or a server bindHttpApi already holds. */
  port: number | BoundApi;
  routes: LocalRoute[];
  tokens: LocalTokens;
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  control: ControlHandler;
  cors?: Record<string, unknown>;
}): Promise<{ url: string; server: Server }> {
  const routes = options.routes.filter((r) => r.path !== DEFAULT_ROUTE_KEY).map(compile);
  const fallback = options.routes.find((r) => r.path === DEFAULT_ROUTE_KEY);
  const bound = typeof options.port === 'number' ? await bindHttpApi(options.port) : options.port;
  const { server } = bound;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const cors = corsHeaders(options.cors, req);
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { ...cors, ...headers }).end(body);
    };

    const docs = apiDocsResponse(method, url.pathname);
    if (docs) return reply(docs.status, docs.body, docs.headers);

    const body = await readBody(req, API_GATEWAY_MAX_BODY);
    if (body === 'too-large') return reply(413, '{"message":"Request Entity Too Large"}', { 'content-type': 'application/json' });

    if (url.pathname.startsWith('/_local/') || url.pathname === '/_local') {
      // The control routes mint tokens and move the clock: the developer's tools only, never a
      // web page. No CORS headers (a cross-origin read fails), a browser's Origin is refused (a
      // no-cors POST still carries one), and bodies must be JSON, which no form can send.
      const json = (status: number, message: string): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
      if (req.headers.origin !== undefined) return json(403, 'The /_local control routes do not answer browsers (request carried an Origin header)');
      // A raw mail (`message/rfc822`) is as unsendable by a form as JSON: only the inbound mail route takes it.
      const rawMail = url.pathname === '/_local/inbound-email' && /^message\/rfc822\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''));
      if (body.length && !rawMail && !/^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''))) {
        return json(415, 'The /_local control routes take application/json bodies only (and POST /_local/inbound-email message/rfc822)');
      }
      let parsed: unknown;
      try {
        parsed = rawMail ? body : body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        return json(400, 'Body is not JSON');
      }
      const result = await options.control({ method, path: url.pathname, body: parsed, query: url.searchParams });
      if (!result) return json(404, 'Not Found');
      res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
      res.end(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
      return;
    }

    if (method === 'OPTIONS' && options.cors) return reply(204, '');

    // Without a `$default` route API Gateway answers unmatched requests itself; with one, they go to its function.
    const matched = matchRoute(routes, method, url.pathname) ?? (fallback ? { route: compileDefault(fallback), pathParameters: {} } : undefined);
    if (!matched) return reply(404, '{"message":"Not Found"}', { 'content-type': 'application/json' });
    const { route, pathParameters } = matched;

    let claims: Record<string, string> | undefined;
    if (route.authorization === 'JWT') {
      const token = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const verified = token ? await options.tokens.verify(token) : undefined;
      if (!verified) return reply(401, '{"message":"Unauthorized"}', { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      claims = flattenClaims(verified);
    }

    const event = toEvent(req, url, method, route, pathParameters, body, claims);
    let result: unknown;
    try {
      result = await options.invoke(route.functionName, event);
    } catch (error) {
      console.error(`[local] ${route.method} ${route.path} failed:`, error);
      return reply(500, '{"message":"Internal Server Error"}', { 'content-type': 'application/json' });
    }
    const response = toHttpResponse(result);
    res.writeHead(response.status, { ...cors, ...response.headers });
    res.end(response.body);
  }

  return bound;
}

export interface BoundApi {
  url: string;
  server: Server;
}

/**
 * Binds the API's port before anything else starts: the URL handed to the functions is then the
 * one that answers (no pick-a-free-port-then-bind race), and until startHttpApi takes the server
 * over every request gets 503 "starting", like /health while --seed runs.
 */
export async function bindHttpApi(port: number): Promise<BoundApi> {
  const server = createServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"status":"starting"}');
  });
  await listenOnLoopback(server, port);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** listen() that rejects (instead of an unhandled 'error' event) and says what to do about a taken port. */
export function listenOnLoopback(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} on 127.0.0.1 is in use: stop what runs there, or pass --port 0 for any free port`, { cause: error }) : error);
    };
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
}

function compileDefault(route: LocalRoute): CompiledRoute {
  return { ...route, params: [], matcher: /^$/ };
}

function compile(route: LocalRoute): CompiledRoute {
  const params: string[] = [];
  const pattern = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(.+)\+\}$/.exec(segment);
      if (greedy) return params.push(greedy[1]!), '(.+)';
      const param = /^\{(.+)\}$/.exec(segment);
      if (param) return params.push(param[1]!), '([^/]+)';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, params, matcher: new RegExp(`^${pattern}$`) };
}

/**
 * API Gateway picks the most specific route: routes without a greedy variable before `{proxy+}`,
 * fewer path variables before more, an explicit method before ANY.
 */
function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  const candidates = routes
    .filter((r) => r.method === method || r.method === 'ANY')
    .map((route) => ({ route, match: route.matcher.exec(path) }))
    .filter((c): c is { route: CompiledRoute; match: RegExpExecArray } => c.match !== null)
    .sort((a, b) => specificity(a.route) - specificity(b.route));
  const best = candidates[0];
  if (!best) return undefined;
  const pathParameters = Object.fromEntries(best.route.params.map((p, i) => [p, decodePathSegment(best.match[i + 1]!)]));
  return { route: best.route, pathParameters };
}

/**
 * API Gateway hands HTTP API functions their path parameters percent-decoded. A segment that does
 * not decode (`%zz`, an escape of bytes that are no UTF-8) is passed on as sent, not refused
 * here: the function's HTTP kit answers 400 naming the parameter, since no id format admits `%`.
 */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function specificity(route: CompiledRoute): number {
  const greedy = route.path.includes('+}') ? 1 : 0;
  return greedy * 10_000 + route.params.length * 10 + (route.method === 'ANY' ? 1 : 0);
}

const EMPTY = Buffer.alloc(0);

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  // HTTP/1.1: without Content-Length or Transfer-Encoding a request has no body (RFC 9112 6.3).
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return EMPTY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|javascript))/i;

function toEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  route: CompiledRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  // Bytes that are no UTF-8 go base64-encoded, so the function can refuse them instead of reading
  // replacement characters (API Gateway's own handling of such a text body is not documented).
  const isText = body.length === 0 || (TEXT_TYPES.test(contentType) && isUtf8(body));
  const now = new Date();
  const routeKey = route.path === DEFAULT_ROUTE_KEY ? DEFAULT_ROUTE_KEY : `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    cookies: req.headers.cookie ? req.headers.cookie.split(/;\s*/) : undefined,
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(pathParameters).length ? pathParameters : undefined,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: !isText,
  } as APIGatewayProxyEventV2;
}

/** Payload format 2.0: a structured result, or any other value sent as a 200 JSON body. */
function toHttpResponse(result: unknown): { status: number; headers: Record<string, string | string[]>; body: string | Buffer } {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as APIGatewayProxyStructuredResultV2;
    const headers: Record<string, string | string[]> = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, String(v)]));
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
    return { status: r.statusCode ?? 200, headers, body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result ?? null) };
}

function corsHeaders(cors: Record<string, unknown> | undefined, req: IncomingMessage): Record<string, string> {
  if (!cors) return {};
  const origins = (cors.AllowOrigins as string[] | undefined) ?? [];
  const origin = String(req.headers.origin ?? '');
  const allowOrigin = origins.includes('*') ? '*' : origins.includes(origin) ? origin : undefined;
  if (!allowOrigin) return {};
  return {
    'access-control-allow-origin': allowOrigin,
    'access-control-allow-methods': ((cors.AllowMethods as string[] | undefined) ?? ['*']).join(','),
    'access-control-allow-headers': ((cors.AllowHeaders as string[] | undefined) ?? ['*']).join(','),
    ...(cors.ExposeHeaders ? { 'access-control-expose-headers': (cors.ExposeHeaders as string[]).join(',') } : {}),
  };
}
