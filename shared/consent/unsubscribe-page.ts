import { escapeHtml } from '../html';

/**
 * The pages behind an unsubscribe link, as HTML documents (the HTTP kit's htmlPage serves them).
 * They name no person, address or tenant: whoever holds the link (a forwarded mail) learns nothing
 * from it. Inline style only, no script, since the page is public.
 */
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>${body}</body></html>`;

/**
 * GET: a confirmation page whose button POSTs the RFC 8058 body to the same URL. GET itself never
 * unsubscribes: mail scanners and link previews fetch every link of a mail.
 */
export function confirmationPage(topic: string): string {
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop receiving <strong>${escapeHtml(topic)}</strong> emails?</p>` +
      '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
  );
}

export function unsubscribedPage(topic: string): string {
  return page('Unsubscribed', `<h1>You are unsubscribed</h1><p>You will receive no more <strong>${escapeHtml(topic)}</strong> emails from us.</p>`);
}
