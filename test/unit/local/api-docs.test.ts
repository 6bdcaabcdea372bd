import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiDocsResponse } from '../../../local/api-docs';
import { API_DOCS_SCRIPT, API_DOCS_STYLE, apiDocsPage } from '../../../local/api-docs-page';
import { routeKey } from '../../../api/route';
import { API_ROUTES } from '../../../api/route-table';
import { buildOpenApiDocument } from '../../../api/openapi';

interface PageScript {
  esc(value: unknown): string;
  md(text: string): string;
  summary(schema: unknown): string;
  render(doc: unknown): string;
}

/** The page's script, run in Node: without `document` it only defines its functions. */
const script = new Function(`${API_DOCS_SCRIPT}\nreturn crmApiDocs;`)() as PageScript;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('GET /docs (local)', () => {
  it('answers the page for GET and HEAD on /docs, nothing for other requests', () => {
    const page = apiDocsResponse('GET', '/docs');
    expect(page?.status).toBe(200);
    expect(page?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page?.body).toContain('data-spec="/openapi.json"');
    expect(apiDocsResponse('HEAD', '/docs/')?.status).toBe(200);
    expect(apiDocsResponse('POST', '/docs')).toBeUndefined();
    expect(apiDocsResponse('GET', '/docs/x')).toBeUndefined();
    expect(apiDocsResponse('GET', '/customers')).toBeUndefined();
  });

  it('allows only its own inline script and style, and connections to the same server', () => {
    const csp = apiDocsResponse('GET', '/docs')!.headers['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${sha256(API_DOCS_SCRIPT)}'`);
    expect(csp).toContain(`style-src 'sha256-${sha256(API_DOCS_STYLE)}'`);
    expect(csp).toContain("connect-src 'self'");
    const body = apiDocsResponse('GET', '/docs')!.body;
    expect(body).toContain(`<script data-spec="/openapi.json">${API_DOCS_SCRIPT}</script>`);
    expect(body).toContain(`<style>${API_DOCS_STYLE}</style>`);
    expect(body).not.toMatch(/https?:\/\//);
  });

  it('escapes the spec URL into the page', () => {
    expect(apiDocsPage('/x"><script>')).toContain('data-spec="/x&#34;&#62;&#60;script&#62;"');
  });
});

describe('the page script', () => {
  const doc = buildOpenApiDocument();
  const html = script.render(doc);

  it('renders every operation with its method, path and auth', () => {
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path]![route.method.toLowerCase() as 'get']!;
      expect(html, routeKey(route)).toContain(`id="op-${op.operationId}"`);
      expect(html).toContain(`<span class="method m-${route.method.toLowerCase()}">${route.method}</span><code class="path">${route.path}</code>`);
    }
    expect(html).toMatch(/<code class="path">\/health<\/code>Liveness<span class="auth">public<\/span>/);
    expect(html).toMatch(/<code class="path">\/customers\/\{id\}<\/code>Read a customer<span class="auth">token: cognitoIdToken<\/span>/);
  });

  it('shows parameters, bodies and responses with links to the schemas', () => {
    expect(html).toContain('<code>If-Match</code> <span class="req">required</span>');
    expect(html).toContain('<code>limit</code></td><td>query</td><td>integer, min 1, max 100, default 25</td>');
    expect(html).toContain('<code>application/json</code> <a href="#schema-CreateCustomerInput">CreateCustomerInput</a>');
    expect(html).toContain('<td class="status s4">412</td>');
    expect(html).toContain('<code>application/problem+json</code> <a href="#schema-StaleVersionProblem">StaleVersionProblem</a>');
    expect(html).toContain('id="schema-ProblemDetails"');
    // $refs inside the JSON of a schema are links too.
    expect(html).toContain('&quot;$ref&quot;: &quot;<a href="#schema-Address">Address</a>&quot;');
  });

  it('escapes what the document says', () => {
    const hostile = { openapi: '3.1.1', info: { title: '<img src=x onerror=alert(1)>', version: '1' }, paths: { '/a': { get: { summary: '<b>', description: '`<i>`', responses: { 200: { description: '"ok"' } } } } } };
    const out = script.render(hostile);
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
    expect(out).toContain('<code>&lt;i&gt;</code>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('renders the Markdown the document uses and refuses what is no OpenAPI document', () => {
    expect(script.md('**Errors** are `problem+json`\n- one\n- two\n\nend')).toBe('<p><strong>Errors</strong> are <code>problem+json</code></p><ul><li>one</li><li>two</li></ul><p>end</p>');
    expect(script.summary({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] })).toBe('string, max length 3 | null');
    expect(() => script.render({ message: 'Not Found' })).toThrow(/Not an OpenAPI document/);
  });
});
