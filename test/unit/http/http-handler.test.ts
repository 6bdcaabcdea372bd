import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CustomerNotFound } from '../../../shared/errors';
import { httpHandler, isHtmlFormPost, json, seeOther } from '../../../shared/http/http-handler';

const claims = { sub: 'u-1', 'custom:tenantId': 'acme', 'cognito:groups': '[rep]' };

function event(overrides: Partial<APIGatewayProxyEventV2> & { claims?: Record<string, string> | null } = {}): APIGatewayProxyEventV2 {
  const { claims: c = claims, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'req-1', ...(c ? { authorizer: { jwt: { claims: c, scopes: [] } } } : {}) },
    isBase64Encoded: false,
    ...rest,
  } as unknown as APIGatewayProxyEventV2;
}

const body = z.strictObject({ name: z.string().min(1) });
const echo = httpHandler({ body, maxBodyBytes: 100 }, async (req) => json(200, { name: req.body.name, caller: req.caller, requestId: req.requestId }));
const invoke = async (h: typeof echo, e: APIGatewayProxyEventV2) => (await h(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
const problem = (r: APIGatewayProxyStructuredResultV2) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('httpHandler', () => {
  it('passes the parsed body, caller and request id to the use case', async () => {
    const res = await invoke(echo, event({ body: '{"name":"Ada"}' }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ name: 'Ada', caller: { userId: 'u-1', tenantId: 'acme', groups: ['rep'] }, requestId: 'req-1' });
  });

  it('decodes a base64 body', async () => {
    const res = await invoke(echo, event({ body: Buffer.from('{"name":"B64"}').toString('base64'), isBase64Encoded: true }));
    expect(JSON.parse(String(res.body)).name).toBe('B64');
  });

  it('answers 400 problem+json naming the field', async () => {
    const res = await invoke(echo, event({ body: '{"name":""}' }));
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['content-type']).toBe('application/problem+json');
    expect(problem(res).errors).toEqual([{ path: 'name', message: expect.any(String) }]);
  });

  it('names each unknown field', async () => {
    const res = await invoke(echo, event({ body: '{"name":"x","a":1,"b":2}' }));
    expect((problem(res).errors as { path: string }[]).map((e) => e.path)).toEqual(['a', 'b']);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await invoke(echo, event({ body: '{"name":' }));
    expect(res.statusCode).toBe(400);
    expect(problem(res).type).toBe('urn:crm:problem:malformed-request');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await invoke(echo, event({ body: 'name=x', headers: { 'content-type': 'text/plain' } }));
    expect(res.statusCode).toBe(415);
  });

  it('accepts a JSON content type with parameters', async () => {
    const res = await invoke(echo, event({ body: '{"name":"x"}', headers: { 'content-type': 'application/json; charset=utf-8' } }));
    expect(res.statusCode).toBe(200);
  });

  it('answers 413 above the size limit before parsing', async () => {
    const res = await invoke(echo, event({ body: JSON.stringify({ name: 'x'.repeat(200) }) }));
    expect(res.statusCode).toBe(413);
  });

  it('answers 401 without verified claims', async () => {
    const res = await invoke(echo, event({ body: '{"name":"x"}', claims: null }));
    expect(res.statusCode).toBe(401);
  });

  it('maps domain errors to their status', async () => {
    const missing = httpHandler({}, async () => {
      throw new CustomerNotFound('c-1');
    });
    const res = await invoke(missing, event());
    expect(res.statusCode).toBe(404);
    expect(problem(res)).toMatchObject({ status: 404, title: 'Not Found', type: 'urn:crm:problem:not-found' });
  });

  it('turns unknown errors into an opaque 500 that leaks nothing', async () => {
    process.env.CRM_LOG_LEVEL = 'silent';
    const broken = httpHandler({}, async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:8000 secret-table');
    });
    const res = await invoke(broken, event());
    expect(res.statusCode).toBe(500);
    expect(String(res.body)).not.toContain('secret-table');
    expect(String(res.body)).not.toContain('ECONNREFUSED');
  });

  it('checks path parameters and query values before the use case runs', async () => {
    let ran = false;
    const get = httpHandler({}, async () => ((ran = true), json(200, {})));
    const badId = await invoke(get, event({ pathParameters: { id: 'x'.repeat(3000) } }));
    expect(badId.statusCode).toBe(404);
    expect(problem(badId).detail).toContain('path.id');
    const badUser = await invoke(get, event({ pathParameters: { userId: 'a b' } }));
    expect(problem(badUser).errors).toEqual([{ path: 'path.userId', message: expect.any(String) }]);
    const badQuery = await invoke(get, event({ queryStringParameters: { name: 'a\u0000' } }));
    expect(problem(badQuery).errors).toEqual([{ path: 'query.name', message: expect.any(String) }]);
    expect(ran).toBe(false);
  });

  it('checks the parsed body for depth, text and numbers, naming the field', async () => {
    const res = await invoke(echo, event({ body: '{"name":"A\\u0000"}' }));
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors).toEqual([{ path: 'name', message: expect.stringContaining('NUL') }]);
  });

  it('refuses a base64 body that is not UTF-8, naming the field', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xff]), Buffer.from('"}')]);
    const res = await invoke(echo, event({ body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors).toEqual([{ path: 'name', message: expect.stringContaining('UTF-8') }]);
  });

  it('sends nosniff on every response and no-store on those of authenticated routes, errors included', async () => {
    const ok = await invoke(echo, event({ body: '{"name":"Ada"}' }));
    expect(ok.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    const failed = await invoke(echo, event({ body: '{"name":' }));
    expect(failed.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'content-type': 'application/problem+json' });
    const publicRoute = httpHandler({ authenticated: false }, async () => json(200, { ok: true }));
    const pub = await invoke(publicRoute, event({ claims: null }));
    expect(pub.headers?.['x-content-type-options']).toBe('nosniff');
    expect(pub.headers?.['cache-control']).toBeUndefined();
  });
});

describe('httpHandler: HTML forms and pages (public pages such as the survey links)', () => {
  const form = z.object({ score: z.optional(z.string()), comment: z.optional(z.string().max(10)) });
  const page = httpHandler({ authenticated: false, body: form, form: true, htmlErrors: (p) => `<h1>${p.status}</h1>` }, async ({ body }) => json(200, body));
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) => invoke(page, event({ claims: null, body, headers }));

  it('reads a form-encoded body into its fields, and an empty body as no fields', async () => {
    expect(JSON.parse(String((await post('score=4&comment=ok%20%C3%A9')).body))).toEqual({ score: '4', comment: 'ok é' });
    expect(JSON.parse(String((await post('', {})).body))).toEqual({});
  });

  it('refuses a form sent as anything else (415)', async () => {
    expect((await post('{"score":"4"}', { 'content-type': 'application/json' })).statusCode).toBe(415);
  });

  it('answers a bad field with problem+json to a client, and with the page under the same status to a browser', async () => {
    const client = await post('comment=far-too-long-for-this');
    expect(client.statusCode).toBe(400);
    expect(client.headers?.['content-type']).toBe('application/problem+json');
    expect(problem(client).errors).toEqual([{ path: 'comment', message: expect.any(String) }]);
    const browser = await post('comment=far-too-long-for-this', { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(browser.statusCode).toBe(400);
    expect(browser.headers?.['content-type']).toContain('text/html');
    expect(browser.body).toBe('<h1>400</h1>');
  });
});

describe('httpHandler: a body that is JSON or an HTML form (the public web forms)', () => {
  const either = httpHandler({ authenticated: false, body: z.record(z.string(), z.unknown()), form: 'or-json' }, async ({ body, headers }) => (isHtmlFormPost(headers) ? seeOther('https://x.example/thanks') : json(200, body)));
  const post = (body: string, contentType: string) => invoke(either, event({ claims: null, body, headers: { 'content-type': contentType } }));

  it('reads a form-encoded body as fields and answers the redirect', async () => {
    const res = await post('email=a%40b.example&consent.newsletter=on', 'application/x-www-form-urlencoded; charset=UTF-8');
    expect(res.statusCode).toBe(303);
    expect(res.headers?.location).toBe('https://x.example/thanks');
  });

  it('reads a JSON body as JSON', async () => {
    const res = await post('{"consent":{"newsletter":true}}', 'application/json');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual({ consent: { newsletter: true } });
  });

  it('refuses anything else (415)', async () => {
    expect((await post('email=a', 'text/plain')).statusCode).toBe(415);
  });
});
