import { describe, expect, it } from 'vitest';
import { unsubscribedPage, unsubscribeLinkPage, type UnsubscribeView } from '../../../shared/consent/unsubscribe-page';
import { htmlPage } from '../../../shared/http/html-page';

const TOKEN = 'cGF5bG9hZA.c2ln';
const subscribed: UnsubscribeView = {
  gone: false,
  topic: 'marketing',
  subscribed: true,
  preferences: [
    { topic: 'marketing', subscribed: true, canSubscribe: true },
    { topic: 'newsletter', subscribed: false, canSubscribe: true },
    { topic: 'events', subscribed: false, canSubscribe: false },
  ],
};

describe('unsubscribe pages', () => {
  it('offer one-click for a subscribed topic, with a form that POSTs the RFC 8058 body back to the link', () => {
    const html = unsubscribeLinkPage(subscribed, TOKEN);
    expect(html).toContain('<h1>Unsubscribe</h1><p>Stop receiving <strong>marketing</strong> emails?</p>');
    expect(html).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(html).not.toMatch(/<script|src=|href=/);
  });

  it('say so for a topic already out, with no unsubscribe button', () => {
    const html = unsubscribeLinkPage({ ...subscribed, subscribed: false, preferences: [{ topic: 'marketing', subscribed: false, canSubscribe: true }] }, TOKEN);
    expect(html).toContain('<h1>You are unsubscribed</h1><p>You receive no <strong>marketing</strong> emails from us.</p>');
    expect(html).not.toContain('One-Click');
  });

  it('show every topic in the preference centre, with a choice only where one may be made', () => {
    const html = unsubscribeLinkPage(subscribed, TOKEN);
    expect(html).toContain(`<form method="post" action="${TOKEN}/preferences">`);
    expect(html).toContain('<input type="radio" name="marketing" value="in" checked> Subscribed');
    expect(html).toContain('<input type="radio" name="newsletter" value="out" checked> Unsubscribed');
    expect(html).toContain('<p><strong>events</strong>: unsubscribed</p>');
    expect(html).not.toContain('name="events"');
  });

  it('answering the form, point both forms at the right URLs relative to it and note the save', () => {
    const html = unsubscribeLinkPage(subscribed, TOKEN, 'preferences', [{ topic: 'newsletter', granted: false }]);
    expect(html).toContain(`<form method="post" action="../${TOKEN}"><input type="hidden" name="List-Unsubscribe"`);
    expect(html).toContain('<h2>Your email preferences</h2><form method="post">');
    expect(html).toContain('Your choices are saved.');
  });

  it('show a recipient who is gone the plain unsubscribed page, no preferences', () => {
    expect(unsubscribeLinkPage({ gone: true, topic: 'marketing' }, TOKEN)).toBe(unsubscribedPage('marketing'));
  });

  it('escape topics', () => {
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
