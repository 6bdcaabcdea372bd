import { createHash } from 'node:crypto';
import { API_DOCS_SCRIPT, API_DOCS_STYLE, apiDocsPage } from './api-docs-page';

/** Local only, like `/_local/*`: the AWS deployment serves `GET /openapi.json`, not this page. */
export const API_DOCS_PATHS: readonly string[] = ['/docs', '/docs/'];

export interface LocalPage {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

let page: LocalPage | undefined;

/**
 * `GET /docs`: a page that fetches `/openapi.json` from the same server and renders it. Returns
 * undefined for any other request, which then goes on to the API's routes. The page runs only its
 * own inline script and style (a CSP with their hashes) and talks to nothing but this server.
 */
export function apiDocsResponse(method: string, pathname: string): LocalPage | undefined {
  if (!API_DOCS_PATHS.includes(pathname) || (method !== 'GET' && method !== 'HEAD')) return undefined;
  page ??= {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${hash(API_DOCS_SCRIPT)}`,
        `style-src ${hash(API_DOCS_STYLE)}`,
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'x-content-type-options': 'nosniff',
    },
    body: apiDocsPage('/openapi.json'),
  };
  return page;
}
