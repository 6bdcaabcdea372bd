import { describe, expect, it } from 'vitest';
import { call, stack } from '../client';

describe('API documentation', () => {
  it('serves the generated OpenAPI 3.1 document without a token, covering every route of the stack (but $default, which serves none)', async () => {
    const { status, body } = await call<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
    const wiring = await call<{ routes: { method: string; path: string }[] }>('GET', '/_local/wiring');

    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./);
    const routes = wiring.body.routes.filter((route) => route.path !== '$default');
    expect(routes.length).toBe(wiring.body.routes.length - 1);
    for (const route of routes) expect(body.paths[route.path], `${route.method} ${route.path}`).toHaveProperty(route.method.toLowerCase());
  });

  it('renders it locally at /docs', async () => {
    const res = await fetch(`${stack().apiUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/openapi.json');
  });
});
