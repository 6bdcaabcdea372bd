import { describe, expect, it } from 'vitest';
import { call, newTenant, tokenFor, uniqueEmail } from '../client';

describe('local control routes', () => {
  it('issues tokens only for known groups', async () => {
    const res = await call('POST', '/_local/tokens', { body: { sub: 'x', tenantId: 'acme', groups: ['superuser'] } });
    expect(res.status).toBe(400);
  });

  it('moves the clock the handlers read, and never backwards by accident', async () => {
    const before = await call<{ now: string }>('GET', '/_local/clock');
    const advanced = await call<{ now: string }>('POST', '/_local/clock', { body: { advance: 'P2D' } });
    const token = await tokenFor(newTenant(), 'rep-1', ['rep']);
    const created = await call<{ createdAt: string }>('POST', '/customers', { token, body: { name: 'Later', emails: [uniqueEmail()] } });

    const shift = Date.parse(advanced.body.now) - Date.parse(before.body.now);
    expect(shift).toBeGreaterThanOrEqual(2 * 86_400_000);
    expect(shift).toBeLessThan(2 * 86_400_000 + 60_000);
    expect(Date.parse(created.body.createdAt)).toBeGreaterThanOrEqual(Date.parse(advanced.body.now));
  });

  it('rejects a clock request that is not a duration or a date', async () => {
    const res = await call('POST', '/_local/clock', { body: { advance: '31 days' } });
    expect(res.status).toBe(400);
  });

  it('answers 404 for a schedule that does not exist, listing the ones that do', async () => {
    const res = await call<{ schedules: unknown[] }>('POST', '/_local/schedules/no-such-schedule/run');
    expect(res.status).toBe(404);
    expect(Array.isArray(res.body.schedules)).toBe(true);
  });

  it('shows the wiring it read from the synthesized app', async () => {
    const res = await call<{ routes: { method: string; path: string; authorization: string }[] }>('GET', '/_local/wiring');
    expect(res.body.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: 'GET', path: '/health', authorization: 'NONE' }),
        expect.objectContaining({ method: 'POST', path: '/customers', authorization: 'JWT' }),
        expect.objectContaining({ method: 'GET', path: '/customers/{id}', authorization: 'JWT' }),
      ]),
    );
  });

  it('is closed to web pages: no CORS headers, a browser Origin refused, JSON bodies only', async () => {
    const fromPage = await call('POST', '/_local/tokens', {
      body: { sub: 'x', tenantId: 'acme', groups: ['admin'] },
      headers: { origin: 'https://evil.example' },
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();

    // What a drive-by page can send without a preflight: text/plain holding JSON.
    const plain = await call('POST', '/_local/tokens', { rawBody: JSON.stringify({ sub: 'x', tenantId: 'acme', groups: ['admin'] }), contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.body).not.toHaveProperty('token');

    const preflight = await call('OPTIONS', '/_local/tokens', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const read = await call('GET', '/_local/clock');
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
