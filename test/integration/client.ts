import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCrmClient, type CrmClient } from '@serverless-crm/client';
import { inject } from 'vitest';

/** A small HTTP client for the local stack (or, later, a deployed stage's URL). */
export const stack = () => inject('localStack');

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${stack().apiUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * The published typed client (packages/client) bound to the local stack: what an integrator
 * writes, so a test through it also proves the generated types match what the API answers. `call`
 * stays for what a typed client cannot send (raw bodies, wrong content types, missing headers).
 */
export function crm(token?: string): CrmClient {
  return createCrmClient({ baseUrl: stack().apiUrl, getToken: () => token });
}

/** A fresh tenant per test keeps tests independent while they share one runtime. */
export function newTenant(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

export async function tokenFor(tenantId: string, sub: string, groups: string[], teamId?: string): Promise<string> {
  const { body } = await call<{ token: string }>('POST', '/_local/tokens', { body: { sub, tenantId, groups, teamId } });
  return body.token;
}

/**
 * Makes the directory copy (docs/users.md, "Names next to ids") hold the tenant as it is now, as
 * in a warm container: tests that count a request's DynamoDB requests call this first, so the
 * count is the operation's own and not the copy's once-per-30-seconds Query.
 */
export async function warmDirectoryCopy(token: string): Promise<void> {
  const { status } = await call('GET', '/custom-fields', { token });
  if (status !== 200) throw new Error(`warming the directory copy failed: ${status}`);
}

/** Waits until everything already caused (stream records, deliveries, flows) has happened. */
export async function settle(): Promise<void> {
  const { status } = await call('POST', '/_local/settle');
  if (status !== 200) throw new Error(`settle failed: ${status}`);
}

export function uniqueEmail(prefix = 'someone'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** The local stack's table, raw: for tests that set up or inspect items the API does not show. */
export function rawTable(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack().dynamoDbEndpoint, region: 'local-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
}
