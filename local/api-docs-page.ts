/**
 * The page behind the local runtime's `GET /docs`: one self-contained HTML document (no CDN, no
 * package) whose script fetches the OpenAPI document from the same server and renders it:
 * operations grouped by tag, their parameters, request bodies and responses, and every schema as
 * collapsible JSON with `$ref`s as links. The script is plain browser JavaScript kept in a string,
 * so the tests can run its renderer in Node (`crmApiDocs.render(document)`).
 */

export const API_DOCS_STYLE = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5d6778; --line: #d9dee7; --bg: #fff; --soft: #f4f6fa; --link: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --fg: #e3e7ee; --muted: #9aa4b5; --line: #343b48; --bg: #14171d; --soft: #1c2029; --link: #7fb0ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 26px; }
header h1 small { font-size: 14px; font-weight: normal; color: var(--muted); }
.meta { color: var(--muted); margin: 4px 0 12px; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 12px 0; }
.toolbar input { flex: 1; min-width: 220px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); color: var(--fg); font: inherit; }
.toolbar button { padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--soft); color: var(--fg); font: inherit; cursor: pointer; }
nav a { margin-right: 12px; }
h2 { margin: 28px 0 6px; font-size: 20px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h4 { margin: 14px 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
details { border: 1px solid var(--line); border-radius: 8px; margin: 8px 0; background: var(--bg); }
details > summary { cursor: pointer; padding: 8px 12px; list-style-position: inside; }
details[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); border-radius: 8px 8px 0 0; }
.body { padding: 4px 14px 12px; }
.method { display: inline-block; min-width: 62px; text-align: center; border-radius: 4px; padding: 1px 6px; font: bold 12px/1.6 ui-monospace, monospace; color: #fff; background: #6b7280; }
.m-get { background: #1f7a4d; } .m-post { background: #1f5fbf; } .m-patch { background: #a15c00; } .m-put { background: #7a3fb0; } .m-delete { background: #b42318; }
.path { font-weight: 600; margin: 0 8px; }
.auth { float: right; font-size: 12px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 4px 0; }
th, td { text-align: left; vertical-align: top; border-top: 1px solid var(--line); padding: 6px 8px; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.status { font-weight: 700; white-space: nowrap; }
.s2 { color: #1f7a4d; } .s4 { color: #a15c00; } .s5 { color: #b42318; }
pre { margin: 6px 0; padding: 10px; background: var(--soft); border-radius: 6px; overflow: auto; }
.req { color: #b42318; font-size: 12px; }
.hidden { display: none; }
.error { border: 1px solid #b42318; border-radius: 8px; padding: 12px 16px; margin: 24px 0; }
`;

export const API_DOCS_SCRIPT = `
const crmApiDocs = (() => {
  'use strict';
  const VERBS = ['get', 'post', 'put', 'patch', 'delete'];
  const SCHEMA_PREFIX = '#/components/schemas/';

  function esc(value) {
    return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  /** The little Markdown the document uses: \`code\`, **bold**, "- " lists, paragraphs. */
  function inline(text) {
    return esc(text).replace(/\`([^\`]+)\`/g, '<code>$1</code>').replace(/\\*\\*([^*]+)\\*\\*/g, '<strong>$1</strong>');
  }

  function md(text) {
    const out = [];
    let list = false;
    for (const line of String(text || '').split('\\n')) {
      if (line.startsWith('- ')) {
        if (!list) out.push('<ul>');
        list = true;
        out.push('<li>' + inline(line.slice(2)) + '</li>');
        continue;
      }
      if (list) out.push('</ul>');
      list = false;
      if (line.trim()) out.push('<p>' + inline(line) + '</p>');
    }
    if (list) out.push('</ul>');
    return out.join('');
  }

  const schemaName = (ref) => (typeof ref === 'string' && ref.startsWith(SCHEMA_PREFIX) ? ref.slice(SCHEMA_PREFIX.length) : undefined);
  const slug = (s) => String(s).replace(/[^A-Za-z0-9_-]/g, '-');
  const schemaLink = (name) => '<a href="#schema-' + esc(slug(name)) + '">' + esc(name) + '</a>';

  /** One line for a schema: its type and constraints, a link for a $ref. */
  function summary(schema) {
    if (!schema || typeof schema !== 'object') return '';
    const name = schemaName(schema.$ref);
    if (name) return schemaLink(name);
    if (Array.isArray(schema.anyOf)) return schema.anyOf.map(summary).join(' | ');
    const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type || (schema.enum ? 'enum' : 'any');
    const parts = [type === 'array' ? 'array of ' + (summary(schema.items) || 'any') : esc(type)];
    if (schema.format) parts.push('format ' + esc(schema.format));
    if (schema.enum) parts.push('one of ' + schema.enum.map((v) => '<code>' + esc(JSON.stringify(v)) + '</code>').join(', '));
    if (schema.pattern) parts.push('pattern <code>' + esc(schema.pattern) + '</code>');
    for (const [key, label] of [['minimum', 'min'], ['maximum', 'max'], ['minLength', 'min length'], ['maxLength', 'max length'], ['maxItems', 'max items'], ['default', 'default']]) {
      if (schema[key] !== undefined) parts.push(label + ' ' + esc(JSON.stringify(schema[key])));
    }
    return parts.join(', ');
  }

  /** Pretty JSON with every component $ref as a link to that schema. */
  function json(value) {
    return esc(JSON.stringify(value, null, 2)).replace(/&quot;\\$ref&quot;: &quot;#\\/components\\/schemas\\/([^&]+)&quot;/g, (_, name) => '&quot;$ref&quot;: &quot;' + schemaLink(name) + '&quot;');
  }

  function content(media) {
    return Object.entries(media || {})
      .map(([type, m]) => '<code>' + esc(type) + '</code> ' + summary(m.schema))
      .join('<br>');
  }

  function operationHtml(path, verb, op) {
    const secured = Array.isArray(op.security) && op.security.some((s) => Object.keys(s).length > 0);
    const schemes = secured ? op.security.flatMap((s) => Object.keys(s)) : [];
    const parts = [];
    parts.push('<details class="op" id="op-' + esc(slug(op.operationId || verb + path)) + '" data-search="' + esc((verb + ' ' + path + ' ' + (op.summary || '') + ' ' + (op.operationId || '')).toLowerCase()) + '">');
    parts.push('<summary><span class="method m-' + esc(verb) + '">' + esc(verb.toUpperCase()) + '</span><code class="path">' + esc(path) + '</code>' + esc(op.summary || ''));
    parts.push('<span class="auth">' + (secured ? 'token: ' + esc(schemes.join(', ')) : 'public') + '</span></summary><div class="body">');
    parts.push(md(op.description));
    if (op.operationId) parts.push('<p class="meta">operationId <code>' + esc(op.operationId) + '</code></p>');
    const params = op.parameters || [];
    if (params.length) {
      parts.push('<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr>');
      for (const p of params) {
        parts.push('<tr><td><code>' + esc(p.name) + '</code>' + (p.required ? ' <span class="req">required</span>' : '') + '</td><td>' + esc(p.in) + '</td><td>' + summary(p.schema) + '</td><td>' + inline(p.description || '') + '</td></tr>');
      }
      parts.push('</table>');
    }
    if (op.requestBody) {
      parts.push('<h4>Request body' + (op.requestBody.required ? ' <span class="req">required</span>' : '') + '</h4>' + md(op.requestBody.description));
      parts.push('<p>' + content(op.requestBody.content) + '</p>');
    }
    parts.push('<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th></tr>');
    for (const [status, response] of Object.entries(op.responses || {})) {
      const headers = Object.entries(response.headers || {}).map(([h, v]) => '<br>header <code>' + esc(h) + '</code>: ' + inline(v.description || '')).join('');
      parts.push('<tr><td class="status s' + esc(String(status)[0]) + '">' + esc(status) + '</td><td>' + inline(response.description || '') + headers + '</td><td>' + content(response.content) + '</td></tr>');
    }
    parts.push('</table></div></details>');
    return parts.join('');
  }

  function render(doc) {
    if (!doc || typeof doc !== 'object' || !doc.paths) throw new Error('Not an OpenAPI document');
    const info = doc.info || {};
    const out = [];
    out.push('<header><h1>' + esc(info.title || 'API') + ' <small>' + esc(info.version || '') + ' &middot; OpenAPI ' + esc(doc.openapi || '?') + '</small></h1>');
    if (info.summary) out.push('<p>' + esc(info.summary) + '</p>');
    out.push('<p class="meta">Server: ' + (doc.servers || []).map((s) => '<code>' + esc(s.url) + '</code>').join(', ') + ' &middot; <a href="/openapi.json">openapi.json</a></p>');
    const tags = (doc.tags || []).map((t) => t.name);
    const operations = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const verb of VERBS) if (item[verb]) operations.push({ path, verb, op: item[verb] });
    }
    for (const { op } of operations) for (const t of op.tags || ['default']) if (!tags.includes(t)) tags.push(t);
    out.push('<nav>' + tags.map((t) => '<a href="#tag-' + esc(slug(t)) + '">' + esc(t) + '</a>').join('') + '<a href="#schemas">Schemas</a></nav>');
    out.push('<div class="toolbar"><input id="filter" type="search" placeholder="Filter operations (method, path, summary)" aria-label="Filter operations"><button id="expand" type="button">Expand all</button><button id="collapse" type="button">Collapse all</button></div></header><main>');
    out.push(md(info.description));
    for (const [name, scheme] of Object.entries((doc.components || {}).securitySchemes || {})) {
      out.push('<h2 id="auth">Authentication: <code>' + esc(name) + '</code></h2><p class="meta">' + esc(scheme.type) + (scheme.scheme ? ' ' + esc(scheme.scheme) : '') + (scheme.bearerFormat ? ' (' + esc(scheme.bearerFormat) + ')' : '') + '</p>' + md(scheme.description));
    }
    for (const tag of tags) {
      const mine = operations.filter(({ op }) => (op.tags || ['default']).includes(tag));
      if (!mine.length) continue;
      const about = (doc.tags || []).find((t) => t.name === tag);
      out.push('<section class="tag"><h2 id="tag-' + esc(slug(tag)) + '">' + esc(tag) + '</h2>' + (about && about.description ? md(about.description) : ''));
      for (const { path, verb, op } of mine) out.push(operationHtml(path, verb, op));
      out.push('</section>');
    }
    out.push('<h2 id="schemas">Schemas</h2>');
    for (const [name, schema] of Object.entries((doc.components || {}).schemas || {})) {
      out.push('<details class="schema" id="schema-' + esc(slug(name)) + '"><summary><code>' + esc(name) + '</code> ' + esc(schema.description || '') + '</summary><div class="body"><pre>' + json(schema) + '</pre></div></details>');
    }
    out.push('</main>');
    return out.join('\\n');
  }

  /** Opens the <details> a link points into (a closed one would hide it). */
  function reveal(root, hash) {
    if (!hash || hash.length < 2) return;
    const target = root.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    for (let el = target; el; el = el.parentElement) if (el.tagName === 'DETAILS') el.open = true;
    target.scrollIntoView();
  }

  function boot(root, specUrl) {
    const app = root.getElementById('app');
    fetch(specUrl, { headers: { accept: 'application/json' } })
      .then((res) => {
        if (!res.ok) throw new Error(res.status + ' ' + res.statusText);
        return res.json();
      })
      .then((doc) => {
        app.innerHTML = render(doc);
        root.title = ((doc.info && doc.info.title) || 'API') + ' · docs';
        const ops = Array.from(root.querySelectorAll('details.op'));
        root.getElementById('filter').addEventListener('input', (e) => {
          const words = e.target.value.toLowerCase().split(/\\s+/).filter(Boolean);
          for (const op of ops) op.classList.toggle('hidden', !words.every((w) => op.dataset.search.includes(w)));
        });
        root.getElementById('expand').addEventListener('click', () => ops.forEach((op) => (op.open = true)));
        root.getElementById('collapse').addEventListener('click', () => ops.forEach((op) => (op.open = false)));
        root.defaultView.addEventListener('hashchange', () => reveal(root, root.location.hash));
        reveal(root, root.location.hash);
      })
      .catch((error) => {
        app.innerHTML = '<main><div class="error"><strong>Could not load ' + esc(specUrl) + ':</strong> ' + esc(error.message) +
          '<p>The document is served by the API route <code>GET /openapi.json</code> (functions/api/openapi.ts), a row of the route table in api/routes/api.ts like every route the local runtime serves.</p></div></main>';
      });
  }

  return { esc, inline, md, summary, render, boot };
})();
if (typeof document !== 'undefined') crmApiDocs.boot(document, document.currentScript.dataset.spec);
`;

/** The whole page. `specUrl` is fetched by the browser from the same server. */
export function apiDocsPage(specUrl = '/openapi.json'): string {
  const attribute = specUrl.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<style>${API_DOCS_STYLE}</style>
</head>
<body>
<div id="app"><main><p>Loading ${attribute} ...</p></main></div>
<script data-spec="${attribute}">${API_DOCS_SCRIPT}</script>
</body>
</html>
`;
}
