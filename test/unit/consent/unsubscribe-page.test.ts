import { describe, expect, it } from 'vitest';
import { confirmationPage, unsubscribedPage } from '../../../shared/consent/unsubscribe-page';
import { htmlPage } from '../../../shared/http/html-page';

describe('unsubscribe pages', () => {
  it('confirm with a form that POSTs the RFC 8058 body back to the same URL', () => {
    const html = confirmationPage('marketing');
    expect(html).toContain('<strong>marketing</strong>');
    expect(html).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).not.toMatch(/<script|src=|href=/);
  });

  it('escape the topic', () => {
    expect(unsubscribedPage('<b>"x"</b>')).toContain('<strong>&#60;b&#62;&#34;x&#34;&#60;/b&#62;</strong>');
  });

  it('are served uncached under a strict content security policy', () => {
    expect(htmlPage(unsubscribedPage('marketing'))).toEqual({
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      },
      body: unsubscribedPage('marketing'),
    });
  });
});
