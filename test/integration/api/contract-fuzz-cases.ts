import type { JsonSchema, OpenApiDocument, OperationObject } from '../../../api/openapi';

/**
 * The contract fuzz (issue "Platform", item 3): for every operation of the OpenAPI document the API
 * serves, requests that are malformed in one way each (a bad path id, a forged cursor, a field of
 * the wrong type, text the table cannot hold, a body of the wrong media type...). Each must be
 * answered 4xx application/problem+json, never 5xx. Generation is seeded, so a run is repeatable.
 * Used by test/integration/api/contract-fuzz.test.ts and bench/contract-fuzz.ts; free of vitest.
 */

export interface FuzzRequest {
  /** `METHOD /path` of the operation, as the document writes it. */
  operation: string;
  /** What is malformed, for the failure message. */
  what: string;
  method: string;
  /** Path and query, already encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface FuzzResult {
  request: FuzzRequest;
  status: number;
  contentType: string;
  /** The answer carried `X-Content-Type-Options: nosniff`. */
  nosniff: boolean;
  /** The answer carried `Cache-Control: no-store` (required of every authenticated operation). */
  noStore: boolean;
}

/** Well-formed values the generated requests keep where they do not break something on purpose. */
export interface FuzzFixtures {
  tenantId: string;
  /** Path parameter values by name; `id` under /customers is a real customer, so checks past "not found" run too. */
  customerId: string;
  userId: string;
  /** Cursors the lists really answered, by operation (`GET /customers`), to forge from. */
  cursors: Record<string, string>;
}

export const MIN_REQUESTS_PER_OPERATION = 20;
const DEPTH = 40;

/** mulberry32: a small seeded generator, so every run sends the same requests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) });

export function fuzzRequests(doc: OpenApiDocument, fixtures: FuzzFixtures, seed: number): FuzzRequest[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ulid = () => `01J${Array.from({ length: 23 }, () => pick([...CROCKFORD])).join('')}`;
  const word = (n: number) => Array.from({ length: n }, () => pick([...'abcdefghijklmnopqrstuvwxyz'])).join('');
  const resolve = (schema: JsonSchema | undefined): JsonSchema => {
    const ref = schema?.$ref;
    return typeof ref === 'string' ? resolve(doc.components.schemas[ref.replace('#/components/schemas/', '')]) : (schema ?? {});
  };

  const requests: FuzzRequest[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [verb, operation] of Object.entries(item) as [string, OperationObject][]) {
      const method = verb.toUpperCase();
      const key = `${method} ${path}`;
      const parameters = operation.parameters ?? [];
      const pathParameters = parameters.filter((p) => p.in === 'path');
      const queryParameters = parameters.filter((p) => p.in === 'query');
      const good: Record<string, string> = Object.fromEntries(pathParameters.map((p) => [p.name, encodeURIComponent(validValue(p.name, path))]));
      const own: FuzzRequest[] = [];
      const add = (what: string, options: { path?: Record<string, string>; query?: string; headers?: Record<string, string>; body?: string | Uint8Array }) => {
        const values = { ...good, ...options.path };
        const url = path.replace(/\{([^}+]+)\+?\}/g, (_, name: string) => values[name]!) + (options.query ? `?${options.query}` : '');
        own.push({ operation: key, what, method, url, headers: { ...options.headers }, ...(options.body === undefined ? {} : { body: options.body }) });
      };

      // Path ids: oversized, malformed escapes, bytes that are no UTF-8, NUL, a slash, a space.
      for (const p of pathParameters) {
        const bad: [string, string][] = [
          ['an id over DynamoDB’s 2 KB key limit', 'A'.repeat(2100 + Math.floor(random() * 2000))],
          ['a multibyte id over the key limit', encodeURIComponent('é'.repeat(1100))],
          ['a malformed percent-escape', `${word(3)}%zz`],
          ['a truncated percent-escape', `${word(3)}%C`],
          ['an escape of bytes that are no UTF-8', '%C0%AF%FF'],
          ['an escaped NUL', `${good[p.name]}%00`],
          ['an escaped slash', `${word(2)}%2F${word(2)}`],
          ['a space', '%20'],
        ];
        for (const [what, value] of bad) add(`path ${p.name}: ${what}`, { path: { [p.name]: value } });
      }

      // Query values: documented ones of the wrong type or too long; forged cursors.
      for (const q of queryParameters) {
        add(`query ${q.name}: 600 characters`, { query: `${q.name}=${word(600)}` });
        add(`query ${q.name}: NUL`, { query: `${q.name}=a%00b` });
        const type = q.schema.type;
        if (type === 'integer' || type === 'number') {
          for (const v of ['abc', '-1', '1e9', '1.5', '0x10']) add(`query ${q.name}: ${v}`, { query: `${q.name}=${v}` });
        }
        if (q.name === 'cursor') for (const [what, cursor] of forgedCursors(fixtures.cursors[key], random)) add(`cursor: ${what}`, { query: `cursor=${encodeURIComponent(cursor)}` });
      }

      // Bodies: media type, syntax, encoding, size, depth; then each field broken alone.
      const body = operation.requestBody?.content['application/json']?.schema;
      if (body) {
        const json = { 'content-type': 'application/json' };
        add('body: text/plain', { headers: { 'content-type': 'text/plain' }, body: '{}' });
        add('body: form-urlencoded', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' });
        add('body: application/xml', { headers: { 'content-type': 'application/xml' }, body: '<a/>' });
        // Bytes, not a string: fetch would send a string as text/plain.
        add('body: no content type', { body: new TextEncoder().encode('{}') });
        add('body: invalid JSON', { headers: json, body: `{"${word(4)}":` });
        add('body: a JSON array', { headers: json, body: '[]' });
        add('body: a JSON string', { headers: json, body: '"x"' });
        add('body: JSON null', { headers: json, body: 'null' });
        add('body: bytes that are no UTF-8', { headers: json, body: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) });
        add('body: over every size limit', { headers: json, body: JSON.stringify({ a: 'x'.repeat(512 * 1024) }) });
        add(`body: nested ${DEPTH} levels`, { headers: json, body: JSON.stringify(nested(DEPTH)) });
        const schema = resolve(body);
        const required = (schema.required as string[] | undefined) ?? [];
        if (required.length) add('body: every required field missing', { headers: json, body: '{}' });
        if (schema.additionalProperties === false) add('body: an unknown field', { headers: json, body: JSON.stringify({ [`zz${word(5)}`]: 1 }) });
        // Each field is broken inside a body whose other required fields are filled in (best effort, from
        // the schema), so a value the schema lets through (an activity's free-form payload) reaches the use case.
        const base = (minimalValue(schema, resolve) ?? {}) as Record<string, unknown>;
        const withField = (field: string, value: unknown) => JSON.stringify({ ...base, [field]: value });
        for (const [field, raw] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
          const fieldSchema = resolve(raw);
          const wrong = wrongType(fieldSchema);
          if (wrong !== undefined) add(`field ${field}: wrong type`, { headers: json, body: withField(field, wrong) });
          if (typeof fieldSchema.maxLength === 'number') add(`field ${field}: over maxLength`, { headers: json, body: withField(field, 'x'.repeat(fieldSchema.maxLength + 1)) });
          add(`field ${field}: NUL`, { headers: json, body: withField(field, `a\u0000${word(3)}`) });
          add(`field ${field}: a lone surrogate`, { headers: json, body: withField(field, 'LONE').replace('"LONE"', '"a\\ud800b"') });
          add(`field ${field}: nested ${DEPTH} levels`, { headers: json, body: withField(field, nested(DEPTH)) });
          add(`field ${field}: 1e300`, { headers: json, body: withField(field, 1e300) });
        }
      }

      // Any operation: query junk the kit refuses, as many as it takes to reach the minimum.
      const junk = [
        () => [`an unknown parameter with NUL`, `zz${word(4)}=%00`],
        () => [`an unknown parameter of 600+ characters`, `zz${word(3)}=${word(600 + Math.floor(random() * 3000))}`],
        () => [`a parameter name of 600+ characters`, `${word(600 + Math.floor(random() * 500))}=1`],
        () => [`a parameter name with NUL`, `z%00${word(3)}=1`],
      ];
      for (let i = 0; i < junk.length || own.length < MIN_REQUESTS_PER_OPERATION; i++) {
        const [what, query] = junk[i % junk.length]!();
        add(`query: ${what!}`, { query: query! });
      }
      requests.push(...own);
    }
  }
  return requests;

  function validValue(name: string, path: string): string {
    if (name === 'id' && path.startsWith('/customers/')) return fixtures.customerId;
    if (name === 'userId') return fixtures.userId;
    if (name === 'email') return `nobody-${word(4)}@example.com`;
    if (name === 'formKey') return `${fixtures.tenantId}.${word(32)}`;
    if (name === 'token') return `${word(20)}.${word(20)}`;
    return ulid();
  }
}

/** For every path of the document a method it does not take, and unknown paths: each must answer 404 problem+json ($default). */
export function unknownRouteRequests(doc: OpenApiDocument, seed: number): FuzzRequest[] {
  const random = seededRandom(seed);
  const word = (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]).join('');
  const requests: FuzzRequest[] = [];
  // A method is unknown for a URL when no path of the document takes it there (`GET /customers/check-duplicates` is `GET /customers/{id}`).
  const templates = Object.entries(doc.paths).map(([path, item]) => ({ item, matcher: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  for (const path of Object.keys(doc.paths)) {
    const url = path.replace(/\{[^}]+\}/g, '01JD0000000000000000000000');
    const method = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].find((m) => !templates.some((t) => m.toLowerCase() in t.item && t.matcher.test(url)));
    if (method) requests.push({ operation: `${method} ${path}`, what: 'a method the path does not take', method, url, headers: {} });
  }
  for (let i = 0; i < 10; i++) {
    const url = `/${word(3 + Math.floor(random() * 8))}/${word(5)}`;
    requests.push({ operation: `GET ${url}`, what: 'an unknown path', method: pickMethod(random), url, headers: {} });
  }
  return requests;
}

const pickMethod = (random: () => number) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'][Math.floor(random() * 5)]!;

/** The smallest value a schema plausibly accepts: required fields only, first enum values, minimums. Best effort. */
function minimalValue(raw: JsonSchema, resolve: (schema: JsonSchema | undefined) => JsonSchema, depth = 0): unknown {
  const schema = resolve(raw);
  if (depth > 6) return undefined;
  const options = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (options?.length) return minimalValue(options.find((o) => resolve(o).type !== 'null') ?? options[0]!, resolve, depth + 1);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string': {
      const formats: Record<string, string> = { email: 'fuzz@example.com', 'date-time': '2026-01-01T00:00:00.000Z', date: '2026-01-01', uri: 'https://example.com/' };
      return formats[String(schema.format)] ?? 'Fuzz'.padEnd(Number(schema.minLength ?? 1), 'z');
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'array': {
      const count = Number(schema.minItems ?? 0);
      return Array.from({ length: count }, () => minimalValue(schema.items as JsonSchema, resolve, depth + 1));
    }
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((name) => [name, properties[name] ? minimalValue(properties[name], resolve, depth + 1) : 'Fuzz']));
    }
    default:
      return undefined;
  }
}

/** A value of a JSON type the field does not accept, or undefined when it accepts any. */
function wrongType(schema: JsonSchema): unknown {
  const raw = schema.type;
  if (raw === undefined) return undefined;
  const types = new Set((Array.isArray(raw) ? raw : [raw]).map((t) => (t === 'integer' ? 'number' : String(t))));
  const candidates: [string, unknown][] = [['number', 12345], ['string', 'x'], ['boolean', true], ['array', []], ['object', {}]];
  return candidates.find(([type]) => !types.has(type))?.[1];
}

/** Cursors no list handed out: garbage, other shapes, and a real cursor with each key value emptied, oversized or made a number. */
function forgedCursors(real: string | undefined, random: () => number): [string, string][] {
  const forged: [string, string][] = [
    ['not base64 JSON', '!!not-a-cursor!!'],
    ['JSON null', b64('null')],
    ['a JSON array', b64([])],
    ['an empty key', b64({})],
    ['empty key values', b64({ PK: '', SK: '' })],
    ['an oversized partition key', b64({ PK: 'T#x'.repeat(800), SK: 'PROFILE' })],
    ['empty index key values', b64({ PK: '', SK: '', GSI1PK: '', GSI1SK: '' })],
  ];
  if (!real) return forged;
  const key = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as Record<string, unknown>;
  for (const name of Object.keys(key)) {
    forged.push([`${name} empty`, b64({ ...key, [name]: '' })]);
    // Over both limits (a sort key value 1024 bytes, a partition key value 2048): a longer value that still fits would be a valid start key.
    forged.push([`${name} over 2 KB`, b64({ ...key, [name]: `${String(key[name])}${'x'.repeat(2049 + Math.floor(random() * 500))}` })]);
    forged.push([`${name} a number`, b64({ ...key, [name]: 7 })]);
  }
  return forged;
}

/** Sends the requests, `concurrency` at a time, each with the token its operation needs. */
export async function sendFuzz(apiUrl: string, requests: readonly FuzzRequest[], token: (operation: string) => string | undefined, concurrency = 4): Promise<FuzzResult[]> {
  const results: FuzzResult[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index]!;
      const bearer = token(request.operation);
      const response = await fetch(`${apiUrl}${request.url}`, {
        method: request.method,
        headers: { ...request.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: request.body,
      });
      await response.arrayBuffer();
      results[index] = {
        request,
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        nosniff: response.headers.get('x-content-type-options') === 'nosniff',
        noStore: response.headers.get('cache-control') === 'no-store',
      };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** A result the contract forbids: anything but a 4xx problem+json with nosniff, and no-store where `noStore` (authenticated operations). */
export function breaksContract(result: FuzzResult, noStore = false): boolean {
  return result.status < 400 || result.status >= 500 || !result.contentType.startsWith('application/problem+json') || !result.nosniff || (noStore && !result.noStore);
}

export const isPublic = (doc: OpenApiDocument, operation: string): boolean => {
  const [method, path] = operation.split(' ') as [string, string];
  return !doc.paths[path]?.[method.toLowerCase() as 'get']?.security;
};

const ALL_GROUPS = ['admin', 'manager', 'rep', 'marketer', 'agent'];

/**
 * A fresh tenant with what the fuzz needs to reach past "not found": a token of every group (so no
 * operation refuses the caller before reading the request), the served OpenAPI document, two
 * customers with a timeline, two directory users, and the cursors the lists answer for them.
 */
export async function prepareFuzz(apiUrl: string, tenantId: string): Promise<{ doc: OpenApiDocument; token: string; fixtures: FuzzFixtures }> {
  const request = async (method: string, path: string, token: string | undefined, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fuzz setup: ${method} ${path} answered ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  const { token } = (await request('POST', '/_local/tokens', undefined, { sub: 'fuzz-admin', tenantId, groups: ALL_GROUPS, teamId: 'fuzz' })) as { token: string };
  const doc = (await request('GET', '/openapi.json', undefined)) as unknown as OpenApiDocument;
  const customerId = String((await request('POST', '/customers', token, { name: 'Fuzz Target' })).id);
  await request('POST', '/customers', token, { name: 'Fuzz Other' });
  for (const subject of ['first', 'second']) await request('POST', `/customers/${customerId}/activities`, token, { type: 'note', subject });
  for (const userId of ['fuzz-user', 'fuzz-user-2']) await request('PUT', `/users/${userId}`, token, { email: `${userId}@example.com`, name: userId });

  const cursors: Record<string, string> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const list = item.get;
    if (!list?.parameters?.some((p) => p.name === 'cursor') || !list.parameters.some((p) => p.name === 'limit')) continue;
    const pathNames = list.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    if (pathNames.some((n) => n !== 'id') || (pathNames.length && !path.startsWith('/customers/'))) continue;
    // A list that needs a query (search) gets one that finds the fixtures; one needing an unknown parameter is left out.
    const required = list.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name);
    const known: Record<string, string> = { q: 'Fuzz' };
    if (required.some((name) => !(name in known))) continue;
    const extra = required.map((name) => `&${name}=${encodeURIComponent(known[name]!)}`).join('');
    const page = await request('GET', `${path.replace('{id}', customerId)}?limit=1${extra}`, token);
    if (typeof page.cursor === 'string') cursors[`GET ${path}`] = page.cursor;
  }
  return { doc, token, fixtures: { tenantId, customerId, userId: 'fuzz-user', cursors } };
}
