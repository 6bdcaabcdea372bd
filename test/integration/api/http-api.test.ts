import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from '../client';

describe('HTTP API edge', () => {
  it('answers /health without a token', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('rejects a protected route without a token, like the JWT authorizer', async () => {
    const res = await call('POST', '/customers', { body: { name: 'X', emails: [uniqueEmail()] } });
    expect(res.status).toBe(401);
  });

  it('rejects a token that is not signed by the user pool', async () => {
    const forged = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiY3VzdG9tOnRlbmFudElkIjoiYSJ9.c2lnbmF0dXJl';
    const res = await call('GET', '/customers/01JD0000000000000000000000', { token: forged });
    expect(res.status).toBe(401);
  });

  it('answers an unknown route, and a method a path does not take, 404 problem+json (the $default route)', async () => {
    for (const [method, path] of [['GET', '/no-such-route'], ['DELETE', '/health'], ['PUT', '/customers']] as const) {
      const res = await call<{ type: string; status: number }>(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:crm:problem:not-found', status: 404 });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('sends nosniff on every response, no-store on every response to a token (the export among them)', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin-1', ['admin']);
    const created = await call<{ id: string }>('POST', '/customers', { token: admin, body: { name: 'Ada', emails: [uniqueEmail()] } });
    for (const res of [
      await call('GET', `/customers/${created.body.id}/export`, { token: admin }),
      await call('GET', `/customers/${created.body.id}`, { token: admin }),
      await call('GET', '/customers/01JD0000000000000000000000', { token: admin }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const health = await call('GET', '/health');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('cache-control')).toBeNull();
  });
});

describe('bad input never becomes a 500', () => {
  const setup = async () => tokenFor(newTenant(), 'rep-1', ['rep']);

  it('names the invalid field in an application/problem+json body', async () => {
    const token = await setup();
    const res = await call<{ status: number; errors: { path: string }[]; type: string }>('POST', '/customers', {
      token,
      body: { name: 'Ada', emails: ['not-an-email'] },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.type).toBe('urn:crm:problem:validation-failed');
    expect(res.body.errors.map((e) => e.path)).toEqual(['emails.0']);
  });

  it('names unknown and nested fields', async () => {
    const token = await setup();
    const res = await call<{ errors: { path: string }[] }>('POST', '/customers', {
      token,
      body: { name: '', emails: [uniqueEmail()], consent: { marketing: 'yes' }, nickname: 'x' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.path).sort()).toEqual(['consent.marketing', 'name', 'nickname']);
  });

  it('rejects malformed JSON with 400', async () => {
    const token = await setup();
    const res = await call('POST', '/customers', { token, rawBody: '{"name": "Ada",', contentType: 'application/json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const token = await setup();
    const res = await call('POST', '/customers', { token, rawBody: 'name=Ada', contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rejects an oversized body with 413', async () => {
    const token = await setup();
    const res = await call('POST', '/customers', { token, body: { name: 'x'.repeat(100_000), emails: [uniqueEmail()] } });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('keeps what was stored when a later request is invalid', async () => {
    const token = await setup();
    const created = await call<{ id: string }>('POST', '/customers', { token, body: { name: 'Kept', emails: [uniqueEmail()] } });
    await call('POST', '/customers', { token, body: { name: 'Kept', emails: ['broken'] } });
    const read = await call<{ name: string }>('GET', `/customers/${created.body.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Kept');
  });
});
