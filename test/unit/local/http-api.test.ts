import type { Server } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ControlHandler, startHttpApi } from '../../../local/http-api';
import { LocalTokens } from '../../../local/local-tokens';
import type { LocalRoute } from '../../../local/wiring';

// One server for the file, on a free port, with fake functions that record the events they get.

const routes: LocalRoute[] = [
  { method: 'GET', path: '/health', functionName: 'health', authorization: 'NONE' },
  { method: 'GET', path: '/customers/{id}', functionName: 'get-customer', authorization: 'JWT' },
  { method: 'GET', path: '/customers/search', functionName: 'search', authorization: 'NONE' },
  { method: 'POST', path: '/customers', functionName: 'create-customer', authorization: 'JWT' },
  { method: 'GET', path: '/tenants/{tenantId}/notes/{noteId}', functionName: 'get-note', authorization: 'NONE' },
  { method: 'GET', path: '/boom', functionName: 'boom', authorization: 'NONE' },
  { method: 'GET', path: '/raw', functionName: 'raw', authorization: 'NONE' },
  // Declared before the specific routes on purpose: API Gateway ranks routes, it does not take the first.
  { method: 'GET', path: '/files/{proxy+}', functionName: 'catch-all', authorization: 'NONE' },
  { method: 'GET', path: '/files/{name}', functionName: 'file', authorization: 'NONE' },
  { method: 'ANY', path: '/items/{id}', functionName: 'any-item', authorization: 'NONE' },
  { method: 'GET', path: '/items/{id}', functionName: 'get-item', authorization: 'NONE' },
  { method: 'GET', path: '/cookie', functionName: 'cookie', authorization: 'NONE' },
];

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

const invocations: { functionName: string; event: Event }[] = [];
const controlRequests: Parameters<ControlHandler>[0][] = [];

async function invoke(functionName: string, event: unknown): Promise<unknown> {
  invocations.push({ functionName, event: event as Event });
  if (functionName === 'boom') throw new Error('handler exploded');
  if (functionName === 'raw') return { a: 1, list: [2] };
  if (functionName === 'cookie') return { statusCode: 200, cookies: ['session=abc; Path=/', 'theme=dark'], body: '' };
  return { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-fn': functionName }, body: `hello from ${functionName}` };
}

const control: ControlHandler = async (request) => {
  controlRequests.push(request);
  if (request.path === '/_local/ping') return { status: 202, body: { pong: true } };
  return undefined;
};

let server: Server;
let url: string;
let tokens: LocalTokens;

beforeAll(async () => {
  tokens = await LocalTokens.create();
  ({ server, url } = await startHttpApi({ port: 0, routes, tokens, invoke, control, cors: { AllowOrigins: ['https://app.test'], AllowMethods: ['GET', 'POST'] } }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  invocations.length = 0;
  controlRequests.length = 0;
});

const lastEvent = (): Event => {
  const last = invocations.at(-1);
  if (!last) throw new Error('no function was invoked');
  return last.event;
};

async function bearer(groups: string[] = ['rep']): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokens.issue({ sub: 'user-1', tenantId: 'acme', groups })}` };
}

describe('routing', () => {
  it('invokes the route function and sends its structured result back', async () => {
    const res = await fetch(`${url}/health`);

    expect(res.status).toBe(201);
    expect(res.headers.get('x-fn')).toBe('health');
    expect(await res.text()).toBe('hello from health');
  });

  it('passes {id} path parameters, decoded', async () => {
    await fetch(`${url}/customers/c%20%C3%A9-1`, { headers: await bearer() });

    expect(invocations.map((i) => i.functionName)).toEqual(['get-customer']);
    expect(lastEvent().pathParameters).toEqual({ id: 'c é-1' });
  });

  it('passes a segment that does not decode as sent, for the function to refuse (no 500 here)', async () => {
    const res = await fetch(`${url}/customers/%zz%C3`, { headers: await bearer() });

    expect(res.status).toBe(201);
    expect(lastEvent().pathParameters).toEqual({ id: '%zz%C3' });
  });

  it('passes several path parameters by name', async () => {
    await fetch(`${url}/tenants/acme/notes/n-7`);

    expect(lastEvent().pathParameters).toEqual({ tenantId: 'acme', noteId: 'n-7' });
  });

  it('prefers a literal segment over a parameter, whatever the route order', async () => {
    await fetch(`${url}/customers/search`);

    expect(invocations.map((i) => i.functionName)).toEqual(['search']);
  });

  it('answers 404 {"message":"Not Found"} for an unknown path without invoking anything', async () => {
    const res = await fetch(`${url}/nothing/here`);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect(invocations).toEqual([]);
  });

  it('answers 404 for a known path with another method', async () => {
    const res = await fetch(`${url}/health`, { method: 'DELETE' });

    expect(res.status).toBe(404);
  });

  it('does not let a parameter match across segments', async () => {
    const res = await fetch(`${url}/customers/a/b`, { headers: await bearer() });

    expect(res.status).toBe(404);
  });
});

describe('route ranking, as API Gateway does it', () => {
  it('prefers a route without a greedy variable over {proxy+}', async () => {
    await fetch(`${url}/files/readme`);
    expect(invocations.at(-1)?.functionName).toBe('file');
  });

  it('prefers an explicit method over ANY', async () => {
    await fetch(`${url}/items/7`, { method: 'DELETE' });
    expect(invocations.at(-1)?.functionName).toBe('any-item');
    await fetch(`${url}/items/7`);
    expect(invocations.at(-1)?.functionName).toBe('get-item');
  });

  it('falls back to {proxy+} when nothing more specific matches', async () => {
    await fetch(`${url}/files/a/b/c`);
    expect(invocations.at(-1)?.functionName).toBe('catch-all');
    expect(lastEvent().pathParameters).toEqual({ proxy: 'a/b/c' });
  });
});

describe('JWT authorization', () => {
  it('answers 401 {"message":"Unauthorized"} without a token, without invoking the function', async () => {
    const res = await fetch(`${url}/customers/c1`);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    expect(invocations).toEqual([]);
  });

  it('answers 401 for a token the local issuer did not sign', async () => {
    const stranger = await LocalTokens.create();
    const token = await stranger.issue({ sub: 'u', tenantId: 'acme', groups: ['admin'] });

    const res = await fetch(`${url}/customers/c1`, { headers: { authorization: `Bearer ${token}` } });

    expect(res.status).toBe(401);
    expect(invocations).toEqual([]);
  });

  it('answers 401 for a malformed authorization header', async () => {
    const res = await fetch(`${url}/customers/c1`, { headers: { authorization: 'Basic dTpw' } });

    expect(res.status).toBe(401);
  });

  it('passes the verified claims flattened to strings in requestContext.authorizer.jwt.claims', async () => {
    await fetch(`${url}/customers/c1`, { headers: await bearer(['admin', 'rep']) });

    const claims = lastEvent().requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({ sub: 'user-1', 'custom:tenantId': 'acme', 'cognito:groups': '[admin rep]', token_use: 'id' });
    expect(typeof claims.exp).toBe('string');
  });

  it('gives NONE routes no authorizer, even with a token', async () => {
    await fetch(`${url}/health`, { headers: await bearer() });

    expect(lastEvent().requestContext).not.toHaveProperty('authorizer');
  });
});

describe('the payload format 2.0 event', () => {
  it('carries route key, raw path, method and the JSON body as text', async () => {
    await fetch(`${url}/customers`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/json' }, body: '{"name":"Ada"}' });

    const event = lastEvent();
    expect(event).toMatchObject({ version: '2.0', routeKey: 'POST /customers', rawPath: '/customers', body: '{"name":"Ada"}', isBase64Encoded: false });
    expect(event.requestContext.http.method).toBe('POST');
  });

  it('joins repeated query string parameters with commas', async () => {
    await fetch(`${url}/health?tag=a&tag=b&q=x%20y`);

    expect(lastEvent().queryStringParameters).toEqual({ tag: 'a,b', q: 'x y' });
    expect(lastEvent().rawQueryString).toBe('tag=a&tag=b&q=x%20y');
  });

  it('has no queryStringParameters or pathParameters when there are none', async () => {
    await fetch(`${url}/health`);

    expect(lastEvent().queryStringParameters).toBeUndefined();
    expect(lastEvent().pathParameters).toBeUndefined();
  });

  it('base64-encodes a binary body', async () => {
    await fetch(`${url}/customers`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/octet-stream' }, body: new Uint8Array([0, 255, 1]) });

    expect(lastEvent()).toMatchObject({ body: Buffer.from([0, 255, 1]).toString('base64'), isBase64Encoded: true });
  });

  it('base64-encodes a JSON body that is not valid UTF-8, so the function can refuse it', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xff]), Buffer.from('"}')]);
    await fetch(`${url}/customers`, { method: 'POST', headers: { ...(await bearer()), 'content-type': 'application/json' }, body: bytes });

    expect(lastEvent()).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('moves cookies out of the headers into event.cookies', async () => {
    await fetch(`${url}/health`, { headers: { cookie: 'a=1; b=2' } });

    expect(lastEvent().cookies).toEqual(['a=1', 'b=2']);
    expect(lastEvent().headers).not.toHaveProperty('cookie');
  });
});

describe('function results', () => {
  it('answers 500 {"message":"Internal Server Error"} when the handler throws', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const res = await fetch(`${url}/boom`);

    quiet.mockRestore();
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('sends a result without statusCode as a 200 JSON body', async () => {
    const res = await fetch(`${url}/raw`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ a: 1, list: [2] });
  });
});

describe('response cookies', () => {
  it('sends each cookie of a structured result as its own Set-Cookie header', async () => {
    const res = await fetch(`${url}/cookie`);
    expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/', 'theme=dark']);
  });
});

describe('CORS', () => {
  it('answers a preflight with 204 and the allowed origin and methods', async () => {
    const res = await fetch(`${url}/customers`, { method: 'OPTIONS', headers: { origin: 'https://app.test' } });

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.test');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(invocations).toEqual([]);
  });

  it('adds no CORS headers for an origin that is not allowed', async () => {
    const res = await fetch(`${url}/health`, { headers: { origin: 'https://evil.test' } });

    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('/_local control routes', () => {
  it('hands /_local requests to the control handler with method, path, parsed body and query', async () => {
    const res = await fetch(`${url}/_local/ping?x=1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });

    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ pong: true });
    expect(controlRequests).toHaveLength(1);
    expect(controlRequests[0]).toMatchObject({ method: 'POST', path: '/_local/ping', body: { a: 1 } });
    expect(controlRequests[0]?.query.get('x')).toBe('1');
    expect(invocations).toEqual([]);
  });

  it('answers 404 when the control handler has no such route', async () => {
    const res = await fetch(`${url}/_local/unknown`);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('answers 400 for a control request whose body is not JSON', async () => {
    const res = await fetch(`${url}/_local/ping`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });

    expect(res.status).toBe(400);
    expect(controlRequests).toEqual([]);
  });

  it('refuses what a web page can send: a body that is not declared JSON (415), any request with an Origin (403)', async () => {
    const plain = await fetch(`${url}/_local/ping`, { method: 'POST', body: '{"a":1}' }); // fetch sends text/plain
    const fromPage = await fetch(`${url}/_local/ping`, { method: 'GET', headers: { origin: 'https://evil.example' } });

    expect(plain.status).toBe(415);
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
    expect(controlRequests).toEqual([]);
  });
});

describe('a $default route', () => {
  let fallbackServer: Server;
  let fallbackUrl: string;

  beforeAll(async () => {
    const withDefault: LocalRoute[] = [...routes, { method: 'ANY', path: '$default', functionName: 'fallback', authorization: 'NONE' }];
    ({ server: fallbackServer, url: fallbackUrl } = await startHttpApi({ port: 0, routes: withDefault, tokens, invoke, control }));
  });

  afterAll(async () => {
    fallbackServer.closeAllConnections();
    await new Promise<void>((resolve) => fallbackServer.close(() => resolve()));
  });

  it('takes an unknown path and a known path with another method, as API Gateway does, with route key $default', async () => {
    await fetch(`${fallbackUrl}/nothing/here`);
    await fetch(`${fallbackUrl}/health`, { method: 'DELETE' });

    expect(invocations.map((i) => i.functionName)).toEqual(['fallback', 'fallback']);
    expect(lastEvent()).toMatchObject({ routeKey: '$default', rawPath: '/health' });
    expect(lastEvent().pathParameters).toBeUndefined();
  });

  it('does not take what a route matches', async () => {
    await fetch(`${fallbackUrl}/health`);

    expect(invocations.map((i) => i.functionName)).toEqual(['health']);
  });
});
