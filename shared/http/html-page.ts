import type { HttpResult } from './http-handler';

/**
 * Public HTML pages (the unsubscribe pages) are served with no caching and a strict content
 * security policy: no script, no external resource, no framing, forms only to the same origin.
 */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export function htmlPage(html: string): HttpResult {
  return { statusCode: 200, headers: HEADERS, body: html };
}

