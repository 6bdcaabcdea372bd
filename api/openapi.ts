import * as z from 'zod/mini';
import { personFieldPairs } from '../shared/http/person-names';
import { type ApiRoute, type RouteMethod, routeKey } from './route';
import { API_TAGS, type ErrorDescription, type ErrorStatus, FIELD_NOTES, NAMED_SCHEMAS, type RouteDescription } from './route-docs';
import { API_ROUTES } from './route-table';
import { gatewayErrorSchema, problemDetailsSchema } from './responses/common';
import { GROUPS } from '../shared/access/caller';
import { DEFAULT_MAX_BODY_BYTES } from '../shared/http/http-handler';
import { PATH_PARAMETER_FORMATS } from '../shared/id-formats';
import { PROBLEM_CONTENT_TYPE } from '../shared/http/problem';

/** package.json's version (a unit test keeps them equal; importing package.json would bundle it). */
export const API_VERSION = '0.1.0';
export const OPENAPI_VERSION = '3.1.1';
export const SECURITY_SCHEME = 'cognitoIdToken';

export type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

export interface MediaTypeObject {
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: ParameterObject[];
  requestBody?: { required: true; description: string; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  security?: Record<string, string[]>[];
}

export type HttpVerb = Lowercase<RouteMethod>;

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary: string; description: string; license: { name: string; identifier: string } };
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<HttpVerb, OperationObject>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }>;
  };
}

export interface BuildOptions {
  /** `servers[0].url`; relative `/` (the host that served the document) when absent. */
  serverUrl?: string;
  /** The route table; `API_ROUTES` when absent (tests pass their own). */
  routes?: readonly ApiRoute[];
}

const SCHEMA_REF_PREFIX = '#/components/schemas/';
const ref = (name: string): JsonSchema => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

/**
 * The OpenAPI 3.1 document of the HTTP API: one operation per row of `API_ROUTES`, documented by
 * the row's `doc`, with the handlers' own zod schemas converted by `z.toJSONSchema` (input side:
 * what clients send, before the schemas normalize it). Throws for a description that does not fit
 * its route, and for two routes at the same method and path.
 */
export function buildOpenApiDocument(options: BuildOptions = {}): OpenApiDocument {
  const routes = options.routes ?? API_ROUTES;
  const documented = routes.map((route) => ({ route, doc: route.doc }));
  for (const { route, doc } of documented) checkEntry(route, doc);

  const names = schemaNames(documented);
  const requestBodies = new Set(documented.flatMap(({ doc }) => (doc.requestBody ? [names.get(doc.requestBody.schema)!] : [])));
  const schemas = withPersonNameFields(componentSchemas(names), requestBodies);

  const paths: OpenApiDocument['paths'] = {};
  const operationIds = new Set<string>();
  for (const { route, doc } of documented) {
    const operation = toOperation(route, doc, names);
    if (operationIds.has(operation.operationId)) throw new Error(`Two routes share the operationId ${operation.operationId}`);
    operationIds.add(operation.operationId);
    const item = (paths[route.path] ??= {});
    const verb = route.method.toLowerCase() as HttpVerb;
    if (item[verb]) throw new Error(`Two routes are ${routeKey(route)}`);
    item[verb] = operation;
  }

  const usedTags = new Set(documented.flatMap(({ doc }) => doc.tags));
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Serverless CRM API',
      version: API_VERSION,
      summary: 'Customers, their timeline and contacts, for sales, marketing and service teams.',
      description: INFO_DESCRIPTION,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: options.serverUrl ?? '/', description: options.serverUrl ? 'The API' : 'The host that served this document' }],
    tags: Object.entries(API_TAGS)
      .filter(([name]) => usedTags.has(name as keyof typeof API_TAGS))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A Cognito **ID token** of the stage's user pool, as `Authorization: Bearer <token>`. API Gateway's JWT authorizer checks its " +
            'signature, issuer, audience (the app client) and expiry. The API reads `sub` (the user), `custom:tenantId` (the tenant: ' +
            'required; every record read or written belongs to it) and `cognito:groups` (the roles: ' +
            `${GROUPS.map((g) => `\`${g}\``).join(', ')}). Locally, \`npm start\` prints such tokens and \`POST /_local/tokens\` issues them.`,
        },
      },
    },
  };
}

const INFO_DESCRIPTION = [
  'Generated from the route table (`api/routes/<area>.ts`) and the zod schemas the handlers validate with; see `docs/api.md`.',
  '',
  '- **Tenancy**: the tenant is the token\'s `custom:tenantId`. Records of another tenant, and records the caller may not read, answer 404 alike.',
  '- **Errors** are `application/problem+json` (RFC 9457): `type` is `urn:crm:problem:<slug>`, `errors` lists the failing fields as `{path, message}`. ' +
    'A method and path no operation serves answer 404 problem+json too (the API\'s `$default` route). ' +
    'API Gateway\'s own answers (401 from the JWT authorizer, 413 over 10 MB) are `{"message": ...}` JSON.',
  '- **Headers**: every response carries `X-Content-Type-Options: nosniff`; every response to a token carries `Cache-Control: no-store`; every 429 carries `Retry-After`.',
  '- **Concurrency**: reads answer an `ETag` (the record\'s version, `"3"`); updates need it back in `If-Match`: 428 without it, 412 when the record moved on.',
  '- **Updates** are JSON Merge Patch (RFC 7396): a field present replaces, `null` clears, a missing field stays.',
  '- **Bodies** are JSON (`application/json` or any `+json` type), at most ' + `${DEFAULT_MAX_BODY_BYTES / 1024} KB; unknown fields are rejected by name.`,
].join('\n');

const GENERIC_ERRORS: Record<'400' | '401' | '413' | '415' | '428' | '500', string> = {
  400:
    'The body is not valid JSON or not UTF-8 (`malformed-request`), or fails the checks of every body (nesting at most 16 levels; no NUL or lone ' +
    'surrogate in any text; numbers DynamoDB stores) or the schema (`validation-failed`; `errors` names each failing field, `path.<name>` and `query.<name>` for parameters).',
  401:
    'No valid token: API Gateway\'s JWT authorizer answers `{"message":"Unauthorized"}` (application/json). ' +
    'A valid token without `custom:tenantId` answers problem+json `unauthenticated`.',
  413: `The body exceeds ${DEFAULT_MAX_BODY_BYTES / 1024} KB (\`payload-too-large\`).`,
  415: 'The body is not sent as `application/json` or another `+json` type (`unsupported-media-type`).',
  428: 'No If-Match header (`precondition-required`): read the record and send its ETag back.',
  500: 'An unexpected failure (`internal-error`): logged with the request id, details withheld.',
};

/** Routes without a body still check their parameters (shared/http/request-checks.ts). */
const PARAMETER_400 =
  'A path parameter outside its format, or a query value that is too long, holds NUL or fails its rule (`validation-failed`; `errors` names ' +
  '`path.<name>` or `query.<name>`).';

/** Record ids outside their format name nothing (docs/decisions.md 7); a route's own 404 description replaces this. */
const PARAMETER_404 = 'No such record, or none the caller may see (`not-found`); an id outside its format (`path.<name>`, ULIDs) is one that does not exist.';

const IF_MATCH: ParameterObject = {
  name: 'If-Match',
  in: 'header',
  required: true,
  description: 'The ETag of the version you edited, as a read answered it (`"3"`; the weak form `W/"3"` is accepted).',
  schema: { type: 'string', pattern: '^(W/)?"[0-9]+"$' },
  example: '"3"',
};

const HEADERS: Record<'ETag' | 'Location', { description: string; schema: JsonSchema }> = {
  ETag: { description: 'The version of the record, quoted (`"3"`): send it back in If-Match to change the record.', schema: { type: 'string', examples: ['"1"'] } },
  Location: { description: 'The path of the new resource.', schema: { type: 'string', format: 'uri-reference' } },
};

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!);
}

/** The entry must fit its route: same path parameters, If-Match routes say what 412 means. */
function checkEntry(route: ApiRoute, doc: RouteDescription): void {
  const key = routeKey(route);
  const inPath = pathParameterNames(route.path).sort();
  const described = Object.keys(doc.pathParameters ?? {}).sort();
  if (inPath.join() !== described.join()) {
    throw new Error(`${key}: the path has parameters [${inPath.join(', ')}], the description documents [${described.join(', ')}]`);
  }
  // The HTTP kit refuses a parameter it has no format for: every name needs one (shared/id-formats.ts).
  const unformatted = inPath.filter((name) => !PATH_PARAMETER_FORMATS[name]);
  if (unformatted.length) throw new Error(`${key}: no format for the path parameter(s) ${unformatted.join(', ')} in PATH_PARAMETER_FORMATS (shared/id-formats.ts)`);
  if (doc.ifMatch && !doc.errors?.[412]) throw new Error(`${key}: a route that reads If-Match must document its 412`);
  if (doc.success.status === 204 && doc.success.schema) throw new Error(`${key}: a 204 has no body`);
}

type Documented = { route: ApiRoute; doc: RouteDescription }[];

/** Component names of every schema the document refers to: the named ones, then one per route. */
function schemaNames(documented: Documented): Map<z.ZodMiniType, string> {
  const names = new Map<z.ZodMiniType, string>();
  const taken = new Set<string>();
  const name = (schema: z.ZodMiniType, wanted: string) => {
    if (names.has(schema)) return;
    if (taken.has(wanted)) throw new Error(`Two schemas are named ${wanted} in the OpenAPI document`);
    names.set(schema, wanted);
    taken.add(wanted);
  };
  for (const [wanted, schema] of NAMED_SCHEMAS) name(schema, wanted);
  for (const { route, doc } of documented) {
    const base = route.functionId;
    if (doc.requestBody) name(doc.requestBody.schema, `${base}Request`);
    if (doc.success.schema) name(doc.success.schema, `${base}Response`);
    if (doc.alsoSuccess?.schema) name(doc.alsoSuccess.schema, `${base}${doc.alsoSuccess.status}Response`);
    for (const [status, error] of Object.entries(doc.errors ?? {})) {
      if (typeof error === 'object' && error.schema) name(error.schema, `${base}${status}Problem`);
    }
  }
  return names;
}

function componentSchemas(names: Map<z.ZodMiniType, string>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'throw',
    uri: (id) => `${SCHEMA_REF_PREFIX}${id}`,
    override: ({ zodSchema, jsonSchema }) => {
      const notes = FIELD_NOTES.get(zodSchema);
      if (notes) Object.assign(jsonSchema, notes);
    },
  });
  if ('__shared' in schemas) {
    throw new Error('A schema of the API is recursive or has its own `id`: name it in NAMED_SCHEMAS (api/route-docs.ts)');
  }
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    out[id] = rest;
  }
  return out;
}

/**
 * What the HTTP kit adds to every body it answers (shared/http/person-names.ts): beside each field
 * that holds a user id, the field with their display name. Request bodies take no names.
 */
function withPersonNameFields(schemas: Record<string, JsonSchema>, requestBodies: Set<string>): Record<string, JsonSchema> {
  const visit = (schema: unknown): void => {
    if (Array.isArray(schema)) return schema.forEach(visit);
    if (typeof schema !== 'object' || schema === null) return;
    const node = schema as Record<string, unknown>;
    const properties = node.properties as Record<string, unknown> | undefined;
    if (properties) {
      for (const [id, name] of personFieldPairs(Object.keys(properties))) {
        properties[name] = { type: ['string', 'null'], description: `The display name of \`${id}\` in the user directory (null when the directory does not know the id); present when \`${id}\` is set` };
      }
      const actor = properties.actor as Record<string, unknown> | undefined;
      const actorProperties = actor?.properties as Record<string, unknown> | undefined;
      if (actorProperties && 'type' in actorProperties && 'id' in actorProperties && !('name' in actorProperties)) {
        actorProperties.name = { type: ['string', 'null'], description: 'A user actor\'s display name (present when `type` is `user`)' };
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const [id, schema] of Object.entries(schemas)) if (!requestBodies.has(id)) visit(schema);
  return schemas;
}

/** A parameter's schema, inline (query strings are parsed by the handler, these only document them). */
function inlineSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  return rest;
}

function toOperation(route: ApiRoute, doc: RouteDescription, names: Map<z.ZodMiniType, string>): OperationObject {
  const schemaRef = (schema: z.ZodMiniType) => ref(names.get(schema)!);
  const parameters: ParameterObject[] = [
    ...Object.entries(doc.pathParameters ?? {}).map(([name, description]): ParameterObject => ({
      name,
      in: 'path',
      required: true,
      description,
      // The format the HTTP kit checks (shared/id-formats.ts): anything else is a 400 naming `path.<name>` (or a 404).
      schema: { type: 'string', pattern: PATH_PARAMETER_FORMATS[name]!.pattern.source },
    })),
    ...Object.entries(doc.queryParameters ?? {}).map(([name, p]): ParameterObject => ({
      name,
      in: 'query',
      required: p.required ?? false,
      description: p.description,
      schema: inlineSchema(p.schema),
    })),
    ...(doc.ifMatch ? [doc.ifMatch === 'optional' ? { ...IF_MATCH, required: false } : IF_MATCH] : []),
  ];

  const problem = (description: string, schema: z.ZodMiniType = problemDetailsSchema): ResponseObject => ({
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef(schema) } },
  });
  const errors = new Map<number, ResponseObject>();
  if (route.auth === 'jwt') {
    errors.set(401, {
      description: GENERIC_ERRORS[401],
      content: { 'application/json': { schema: schemaRef(gatewayErrorSchema) }, [PROBLEM_CONTENT_TYPE]: { schema: schemaRef(problemDetailsSchema) } },
    });
  }
  if (doc.requestBody) for (const status of [400, 413, 415] as const) errors.set(status, problem(GENERIC_ERRORS[status]));
  else if (doc.pathParameters || doc.queryParameters) errors.set(400, problem(PARAMETER_400));
  if (pathParameterNames(route.path).some((name) => PATH_PARAMETER_FORMATS[name]?.notFound)) errors.set(404, problem(PARAMETER_404));
  if (doc.ifMatch === true) errors.set(428, problem(GENERIC_ERRORS[428]));
  for (const [status, error] of Object.entries(doc.errors ?? {}) as [`${ErrorStatus}`, string | ErrorDescription][]) {
    const { description, schema } = typeof error === 'string' ? { description: error, schema: undefined } : error;
    const generic = errors.get(Number(status));
    // 401 keeps both of its bodies; a route only words it differently.
    errors.set(Number(status), generic?.content && Number(status) === 401 ? { ...generic, description } : problem(description, schema));
  }
  errors.set(500, problem(GENERIC_ERRORS[500]));

  const success: ResponseObject = {
    description: doc.success.description,
    ...(doc.success.headers?.length ? { headers: Object.fromEntries(doc.success.headers.map((h) => [h, HEADERS[h]])) } : {}),
    ...(doc.success.schema ? { content: { 'application/json': { schema: schemaRef(doc.success.schema) } } } : {}),
  };
  const responses: Record<string, ResponseObject> = { [doc.success.status]: success };
  const also = doc.alsoSuccess;
  if (also) responses[also.status] = { description: also.description, ...(also.schema ? { content: { 'application/json': { schema: schemaRef(also.schema) } } } : {}) };
  if (doc.seeOther) responses[303] = { description: doc.seeOther, headers: { Location: { description: 'Where the browser goes next.', schema: { type: 'string', format: 'uri' } } } };
  for (const status of [...errors.keys()].sort((a, b) => a - b)) responses[status] = errors.get(status)!;

  const body = doc.requestBody;
  return {
    operationId: route.functionId.charAt(0).toLowerCase() + route.functionId.slice(1),
    summary: doc.summary,
    description: doc.description,
    tags: [...doc.tags],
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            description: body.description,
            content: {
              'application/json': { schema: schemaRef(body.schema) },
              ...(body.mergePatch ? { 'application/merge-patch+json': { schema: schemaRef(body.schema) } } : {}),
              ...(body.formEncoded ? { 'application/x-www-form-urlencoded': { schema: { type: 'object', additionalProperties: { type: 'string' } } } } : {}),
            },
          },
        }
      : {}),
    responses,
    ...(route.auth === 'jwt' ? { security: [{ [SECURITY_SCHEME]: [] }] } : {}),
  };
}
