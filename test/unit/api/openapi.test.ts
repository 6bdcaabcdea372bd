import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { handler } from '../../../functions/api/openapi';
import { type ApiRoute, routeKey } from '../../../api/route';
import { API_ROUTES } from '../../../api/route-table';
import { activityView, newActivity } from '../../../shared/activities/activity';
import { contactView, newContact } from '../../../shared/contacts/contact';
import { createCustomerInput, customerPatch, customerView, newCustomer } from '../../../shared/customers/customer';
import { activityResponse, contactResponse, customerResponse } from '../../../api/responses/common';
import type { Caller } from '../../../shared/access/caller';
import { PATH_PARAMETER_FORMATS } from '../../../shared/id-formats';
import {
  API_VERSION,
  buildOpenApiDocument,
  type JsonSchema,
  type OpenApiDocument,
  type OperationObject,
  SECURITY_SCHEME,
} from '../../../api/openapi';

const doc = buildOpenApiDocument();
const operation = (route: Pick<ApiRoute, 'method' | 'path'>): OperationObject => {
  const op = doc.paths[route.path]?.[route.method.toLowerCase() as 'get'];
  if (!op) throw new Error(`no operation for ${routeKey(route)}`);
  return op;
};
const resolve = (schema: JsonSchema | undefined): JsonSchema => {
  const ref = schema?.$ref;
  if (typeof ref !== 'string') return schema ?? {};
  const target = doc.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!target) throw new Error(`dangling ${ref}`);
  return target;
};
const bodySchema = (op: OperationObject) => resolve(op.requestBody?.content['application/json']?.schema);
const props = (schema: JsonSchema) => schema.properties as Record<string, JsonSchema>;

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (official schema, offline validator)', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('has one operation per route of API_ROUTES, with unique operation ids', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(API_ROUTES.map(routeKey).sort());
    const ids = API_ROUTES.map((r) => operation(r).operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks every JWT route for the Cognito ID token and documents its 401; /health needs none', () => {
    for (const route of API_ROUTES) {
      const op = operation(route);
      if (route.auth === 'jwt') {
        expect(op.security, routeKey(route)).toEqual([{ [SECURITY_SCHEME]: [] }]);
        expect(op.responses['401'], routeKey(route)).toBeDefined();
      } else {
        expect(op.security, routeKey(route)).toBeUndefined();
        expect(op.responses['401'], routeKey(route)).toBeUndefined();
      }
    }
    expect(operation({ method: 'GET', path: '/health' }).security).toBeUndefined();
    const scheme = doc.components.securitySchemes[SECURITY_SCHEME]!;
    expect(scheme).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(scheme.description).toContain('custom:tenantId');
    expect(scheme.description).toContain('cognito:groups');
    expect(scheme.description).toContain('ID token');
  });

  it('references the request schemas, which reject unknown fields', () => {
    const withBody = API_ROUTES.filter((r) => r.doc.requestBody);
    expect(withBody.map(routeKey)).toEqual(expect.arrayContaining(['POST /customers', 'PATCH /customers/{id}', 'POST /customers/{id}/activities']));
    for (const route of withBody) {
      const op = operation(route);
      expect(op.requestBody?.required, routeKey(route)).toBe(true);
      expect(op.requestBody?.content['application/json']?.schema.$ref, routeKey(route)).toMatch(/^#\/components\/schemas\//);
      // The public web form takes whatever a page sends (the honeypot's name is per form) and ignores the rest.
      if (routeKey(route) !== 'POST /forms/{formKey}/submit') expect(bodySchema(op).additionalProperties, routeKey(route)).toBe(false);
      for (const status of ['400', '413', '415']) expect(op.responses[status], `${routeKey(route)} ${status}`).toBeDefined();
    }
  });

  it('documents what clients send to POST /customers: formats, limits, enums, no unknown fields', () => {
    const schema = bodySchema(operation({ method: 'POST', path: '/customers' }));
    const p = props(schema);
    expect(Object.keys(p).sort()).toEqual(Object.keys(createCustomerInput.shape).sort());
    expect(schema.required).toEqual(['name']);
    expect(schema.additionalProperties).toBe(false);
    expect(p.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(p.emails).toMatchObject({ type: 'array', maxItems: 10, items: { type: 'string', format: 'email', maxLength: 254 } });
    // Transforms (normalization) are not representable: the input side is documented, with a note.
    expect(p.phones).toMatchObject({ type: 'array', maxItems: 10, items: { type: 'string', maxLength: 40 } });
    expect((p.phones!.items as JsonSchema).description).toMatch(/country code/);
    expect(p.website).toMatchObject({ type: 'string', maxLength: 2048 });
    expect(p.domain).toMatchObject({ type: 'string', maxLength: 2048 });
    expect(p.kind).toEqual({ type: 'string', enum: ['company', 'person'] });
    expect(p.lifecycleStage?.enum).toContain('opportunity');
    expect(p.tags).toMatchObject({ type: 'array', maxItems: 50 });
    expect(p.consent).toMatchObject({ type: 'object', additionalProperties: { type: 'boolean' } });
    expect(p.address).toEqual({ $ref: '#/components/schemas/Address' });
    expect(resolve(p.address).additionalProperties).toBe(false);
  });

  it('documents merge patches: null clears, both JSON media types', () => {
    const op = operation({ method: 'PATCH', path: '/customers/{id}' });
    const p = props(bodySchema(op));
    expect(Object.keys(p).sort()).toEqual(Object.keys(customerPatch.shape).sort());
    expect(p.industry?.anyOf).toEqual(expect.arrayContaining([{ type: 'null' }]));
    expect(Object.keys(op.requestBody!.content)).toEqual(['application/json', 'application/merge-patch+json']);
  });

  it('documents the display names the HTTP kit adds beside person ids in answers, never in request bodies', () => {
    const schemas = doc.components.schemas as Record<string, { properties?: Record<string, { type?: unknown }> }>;
    expect(schemas.Customer?.properties?.ownerName?.type).toEqual(['string', 'null']);
    expect(schemas.Customer?.properties?.createdByName).toBeDefined();
    expect(schemas.DirectoryUser?.properties?.managerName).toBeDefined();
    expect(schemas.DirectoryUser?.properties?.userName).toBeUndefined();
    const requestProperties = Object.keys(props(bodySchema(operation({ method: 'POST', path: '/customers/{id}/assign' }))));
    expect(requestProperties).toContain('ownerId');
    expect(requestProperties).not.toContain('ownerName');
  });

  it('requires If-Match on the PATCH routes and documents 412 and 428 there', () => {
    const patches = API_ROUTES.filter((r) => r.method === 'PATCH');
    expect(patches.length).toBeGreaterThanOrEqual(2);
    for (const route of patches) {
      const op = operation(route);
      const ifMatch = op.parameters?.find((p) => p.name === 'If-Match');
      expect(ifMatch, routeKey(route)).toMatchObject({ in: 'header', required: true });
      expect(resolve(op.responses['412']?.content?.['application/problem+json']?.schema).required).toContain('currentVersion');
      expect(op.responses['428'], routeKey(route)).toBeDefined();
    }
    const get = operation({ method: 'GET', path: '/customers/{id}' });
    expect(get.parameters?.some((p) => p.name === 'If-Match')).toBe(false);
    expect(get.responses['200']?.headers?.ETag).toBeDefined();
  });

  it('gives every path parameter the pattern the HTTP kit checks, and a 400 or 404 for a value outside it', () => {
    for (const route of API_ROUTES) {
      for (const parameter of operation(route).parameters?.filter((p) => p.in === 'path') ?? []) {
        const format = PATH_PARAMETER_FORMATS[parameter.name];
        expect(parameter.schema.pattern, `${routeKey(route)} ${parameter.name}`).toBe(format?.pattern.source);
        expect(operation(route).responses[format?.notFound ? '404' : '400'], `${routeKey(route)} ${parameter.name}`).toBeDefined();
      }
    }
  });

  it('refuses a route whose path parameter has no format', () => {
    const [row] = API_ROUTES.filter((r) => r.path === '/customers/{id}' && r.method === 'GET');
    const route = { ...row!, path: '/customers/{slug}', doc: { ...row!.doc, pathParameters: { slug: 'A slug' } } };
    expect(() => buildOpenApiDocument({ routes: [route] })).toThrow(/no format for the path parameter\(s\) slug/);
  });

  it('documents every path parameter and the activities list query', () => {
    for (const route of API_ROUTES) {
      const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const documented = operation(route).parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [];
      expect(documented.sort(), routeKey(route)).toEqual(names.sort());
    }
    const query = operation({ method: 'GET', path: '/customers/{id}/activities' }).parameters?.filter((p) => p.in === 'query');
    expect(query?.map((p) => [p.name, p.required])).toEqual([['limit', false], ['cursor', false]]);
    expect(query?.[0]?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 25 });
  });

  it('answers errors as RFC 9457 problem details with field errors', () => {
    const problem = doc.components.schemas.ProblemDetails!;
    expect(problem.required).toEqual(['type', 'title', 'status']);
    expect(props(problem).errors).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/FieldError' } });
    expect(doc.components.schemas.FieldError).toMatchObject({ required: ['path', 'message'] });
    for (const route of API_ROUTES) {
      for (const [status, response] of Object.entries(operation(route).responses)) {
        if (Number(status) < 400) continue;
        expect(response.content?.['application/problem+json'], `${routeKey(route)} ${status}`).toBeDefined();
      }
    }
    const create = operation({ method: 'POST', path: '/customers' });
    expect(resolve(create.responses['409']?.content?.['application/problem+json']?.schema).required).toContain('existingCustomerId');
  });

  it('answers 204 without a body and 201 with Location', () => {
    const remove = operation({ method: 'DELETE', path: '/customers/{id}/contacts/{contactId}' });
    expect(remove.responses['204']).toEqual({ description: expect.any(String) });
    expect(operation({ method: 'POST', path: '/customers' }).responses['201']?.headers?.Location).toBeDefined();
  });

  it('has no dangling $ref', () => {
    const refs: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          if (k === '$ref') refs.push(String(v));
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(() => resolve({ $ref: ref }), ref).not.toThrow();
  });

  it('takes the server URL and keeps the version of package.json', () => {
    expect(buildOpenApiDocument({ serverUrl: 'https://api.example.com' }).servers[0]?.url).toBe('https://api.example.com');
    expect(doc.servers[0]?.url).toBe('/');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(API_VERSION).toBe(pkg.version);
  });
});

describe('documentation coverage', () => {
  const health = API_ROUTES.find((r) => routeKey(r) === 'GET /health')!;
  const fake: ApiRoute = { ...health, path: '/reports/{id}', auth: 'jwt', functionId: 'GetReport' };

  it('throws when a description does not document the path parameters of its route', () => {
    expect(() => buildOpenApiDocument({ routes: [fake] })).toThrow(/parameters \[id\]/);
    expect(() => buildOpenApiDocument({ routes: [{ ...fake, doc: { ...fake.doc, pathParameters: { id: 'Report id' } } }] })).not.toThrow();
  });

  it('throws for two routes at the same method and path', () => {
    expect(() => buildOpenApiDocument({ routes: [...API_ROUTES, { ...health, functionId: 'Health2' }] })).toThrow(/Two routes are GET \/health/);
  });

  it('describes real views with the response schemas', () => {
    const caller: Caller = { userId: 'u-1', tenantId: 't-1', groups: ['rep'] };
    const now = '2026-11-23T10:00:00.000Z';
    const input = createCustomerInput.parse({ kind: 'company', name: 'Acme', emails: ['A@Acme.example'], website: 'acme.example', address: { city: 'Berlin' }, consent: { marketing: true } });
    const customer = newCustomer(input, caller, '01JD6Q2N8R5W3Y7Z9A1B2C3D4E', now);
    const strict = <T extends z.ZodMiniObject>(schema: T) => z.strictObject(schema.shape);
    expect(strict(customerResponse).safeParse(customerView(customer)).success).toBe(true);
    const contact = newContact({ name: 'Ada' }, caller, customer.id, '01JD6Q2N8R5W3Y7Z9A1B2C3D4F', now);
    expect(strict(contactResponse).safeParse(contactView(contact)).success).toBe(true);
    const activity = newActivity({ type: 'call', payload: { minutes: 5 } }, caller, customer.id, '01JD6Q2N8R5W3Y7Z9A1B2C3D4G', now);
    expect(strict(activityResponse).safeParse(activityView(activity)).success).toBe(true);
  });
});

describe('GET /openapi.json handler', () => {
  it('answers the document without a token', async () => {
    const event = { version: '2.0', rawPath: '/openapi.json', headers: {}, requestContext: { requestId: 'r-1' }, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
    const res = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('application/json');
    const body = JSON.parse(String(res.body)) as OpenApiDocument;
    expect(body.openapi).toBe(doc.openapi);
    expect(Object.keys(body.paths)).toEqual(Object.keys(doc.paths));
  });
});
