import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../../../api/openapi';
import { newTenant, stack, tokenFor } from '../client';
import { breaksContract, fuzzRequests, isPublic, MIN_REQUESTS_PER_OPERATION, prepareFuzz, sendFuzz, unknownRouteRequests } from './contract-fuzz-cases';

const SEED = 20261206;

describe('the contract fuzz', () => {
  it(`answers every malformed request of every operation (≥ ${MIN_REQUESTS_PER_OPERATION} each) 4xx problem+json with nosniff (and no-store to a token), never 5xx`, async () => {
    const { doc, token, fixtures } = await prepareFuzz(stack().apiUrl, newTenant());
    const requests = fuzzRequests(doc, fixtures, SEED);

    const perOperation = new Map<string, number>();
    for (const r of requests) perOperation.set(r.operation, (perOperation.get(r.operation) ?? 0) + 1);
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((verb) => `${verb.toUpperCase()} ${path}`));
    expect([...perOperation.keys()].sort()).toEqual(operations.sort());
    expect(Math.min(...perOperation.values())).toBeGreaterThanOrEqual(MIN_REQUESTS_PER_OPERATION);

    const results = await sendFuzz(stack().apiUrl, requests, (operation) => (isPublic(doc, operation) ? undefined : token));

    const broken = results
      .filter((r) => breaksContract(r, !isPublic(doc, r.request.operation)))
      .map((r) => `${r.status} ${r.contentType || '-'} nosniff=${r.nosniff} no-store=${r.noStore} ${r.request.operation}: ${r.request.what}`);
    expect(broken).toEqual([]);
  });

  it('answers a method a path does not take, and an unknown path, 404 problem+json (the $default route), with or without a token', async () => {
    const doc = (await (await fetch(`${stack().apiUrl}/openapi.json`)).json()) as OpenApiDocument;
    const token = await tokenFor(newTenant(), 'fuzz-admin', ['admin']);
    const requests = unknownRouteRequests(doc, SEED);
    const results = [...(await sendFuzz(stack().apiUrl, requests, () => token)), ...(await sendFuzz(stack().apiUrl, requests, () => undefined))];
    expect(results.filter((r) => r.status !== 404 || breaksContract(r)).map((r) => `${r.status} ${r.request.method} ${r.request.url}`)).toEqual([]);
  });

  it('generates the same requests from the same seed', async () => {
    const fixtures = { tenantId: 't-fixed', customerId: '01JD0000000000000000000000', userId: 'u-1', cursors: {} };
    const doc = (await (await fetch(`${stack().apiUrl}/openapi.json`)).json()) as OpenApiDocument;
    expect(fuzzRequests(doc, fixtures, SEED)).toEqual(fuzzRequests(doc, fixtures, SEED));
  });
});
