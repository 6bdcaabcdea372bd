import { escapeHtml, problemPage, type PublicProblem, publicPage } from '../html';
import type { PreferenceChange, TopicPreference } from './preference-centre';

/**
 * The pages behind an unsubscribe link, as HTML documents (the HTTP kit's htmlPage serves them).
 * They name no person, address or tenant: whoever holds the link (a forwarded mail) learns nothing
 * from it but the topics and their states. Inline style only, no script, since the page is public.
 */
const page = (title: string, body: string) => publicPage(title, body, 'fieldset{border:1px solid #ccc;margin:.6rem 0}.saved{color:#185c1f}');

/** What the link's page shows: the link's topic and the recipient's preferences, or nothing for a recipient who is gone. */
export type UnsubscribeView = { gone: true; topic: string } | { gone: false; topic: string; subscribed: boolean; preferences: TopicPreference[] };

/**
 * Where the page is served: at the link (`/unsubscribe/{token}`) or as the answer to the preference
 * form (`/unsubscribe/{token}/preferences`). Form actions are relative to it, so the pages work
 * under any base path (a custom domain's mapping) without knowing it.
 */
export type PagePlace = 'link' | 'preferences';

/**
 * GET: the current state of the link's topic (subscribed: a button that POSTs the RFC 8058 body to
 * the link; unsubscribed: says so), then the preference centre. GET itself never changes anything:
 * mail scanners and link previews fetch every link of a mail.
 */
export function unsubscribeLinkPage(view: UnsubscribeView, token: string, place: PagePlace = 'link', saved: PreferenceChange[] = []): string {
  if (view.gone) return unsubscribedPage(view.topic);
  const topic = `<strong>${escapeHtml(view.topic)}</strong>`;
  const linkAction = place === 'link' ? '' : ` action="../${escapeHtml(token)}"`;
  const head = view.subscribed
    ? `<h1>Unsubscribe</h1><p>Stop receiving ${topic} emails?</p>` +
      `<form method="post"${linkAction}><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`
    : `<h1>You are unsubscribed</h1><p>You receive no ${topic} emails from us.</p>`;
  const note = saved.length ? `<p class="saved">Your choices are saved.</p>` : '';
  return page(view.subscribed ? 'Unsubscribe' : 'Unsubscribed', note + head + preferenceCentre(view.preferences, place === 'link' ? ` action="${escapeHtml(token)}/preferences"` : ''));
}

/**
 * Every topic with its state; a choice only where the recipient may make it (preference-centre.ts):
 * out always, in only where the link may give it back. Radio buttons, not checkboxes: a form sends
 * no field for an unchecked box, and "no field" must mean "leave as it is".
 */
function preferenceCentre(preferences: TopicPreference[], action: string): string {
  const rows = preferences.map((p) => {
    const name = escapeHtml(p.topic);
    if (!p.canSubscribe) return `<p><strong>${name}</strong>: unsubscribed</p>`;
    const radio = (value: 'in' | 'out', label: string, checked: boolean) => `<label><input type="radio" name="${name}" value="${value}"${checked ? ' checked' : ''}> ${label}</label>`;
    return `<fieldset><legend><strong>${name}</strong></legend>${radio('in', 'Subscribed', p.subscribed)}${radio('out', 'Unsubscribed', !p.subscribed)}</fieldset>`;
  });
  const form = preferences.some((p) => p.canSubscribe) ? `<form method="post"${action}>${rows.join('')}<button type="submit">Save preferences</button></form>` : rows.join('');
  return `<h2>Your email preferences</h2>${form}`;
}

export function unsubscribedPage(topic: string): string {
  return page('Unsubscribed', `<h1>You are unsubscribed</h1><p>You will receive no more <strong>${escapeHtml(topic)}</strong> emails from us.</p>`);
}

/** What a browser sees when the preference form cannot be saved (other clients get problem+json). */
export const unsubscribeProblemPage = (problem: PublicProblem) => problemPage(problem, { 409: 'Please try again', 410: 'This link is no longer valid' });
