import { escapeHtml, problemPage, type PublicProblem, publicPage } from '../html';
import { SURVEY_SCALES, type SurveyKind } from './survey';

/**
 * The survey mail and the public pages behind its links. The pages name no person, address or
 * case subject (whoever holds a forwarded link learns nothing from it); inline style, no script.
 */

const QUESTIONS: Record<SurveyKind, string> = {
  csat: 'How satisfied are you with the help you received?',
  nps: 'How likely are you to recommend us to a friend or colleague?',
};
const SCALE_WORDS: Record<SurveyKind, string> = { csat: '1 = very dissatisfied, 5 = very satisfied', nps: '0 = not at all likely, 10 = extremely likely' };

const outOf = (kind: SurveyKind, score: number) => `${score} of ${SURVEY_SCALES[kind].max}`;

export function surveyMail(kind: SurveyKind, caseSubject: string, urls: { scores: { score: number; url: string }[]; comment: string }, unsubscribeUrl: string) {
  const subject = `How did we do? ${caseSubject}`.slice(0, 200);
  const text = [
    `Your request "${caseSubject}" was resolved.`,
    '',
    QUESTIONS[kind],
    `(${SCALE_WORDS[kind]})`,
    '',
    ...urls.scores.map(({ score, url }) => `${score}: ${url}`),
    '',
    `Anything to add? ${urls.comment}`,
    '',
    `No more surveys: ${unsubscribeUrl}`,
  ].join('\n');
  const links = urls.scores
    .map(({ score, url }) => `<a href="${escapeHtml(url)}" style="display:inline-block;min-width:2em;padding:.4em .6em;margin:.1em;border:1px solid #888;border-radius:4px;text-align:center;text-decoration:none">${score}</a>`)
    .join(' ');
  const html =
    `<p>Your request &quot;${escapeHtml(caseSubject)}&quot; was resolved.</p><p><strong>${QUESTIONS[kind]}</strong><br><small>${SCALE_WORDS[kind]}</small></p>` +
    `<p>${links}</p><p><a href="${escapeHtml(urls.comment)}">Tell us more</a></p>` +
    `<p><small><a href="${escapeHtml(unsubscribeUrl)}">No more surveys</a></small></p>`;
  return { subject, text, html };
}

const page = (title: string, body: string) => publicPage(title, body);

const commentField = '<p><label for="comment">Anything to add? (optional)</label><br><textarea id="comment" name="comment" maxlength="2000"></textarea></p>';

/**
 * GET of a score link: the score to confirm, with an optional comment. GET records nothing: mail
 * security scanners and link previews fetch every link of a mail, and would otherwise answer
 * every survey (with whichever score they fetched last). The button POSTs to the same URL.
 */
export function confirmPage(kind: SurveyKind, score: number): string {
  return page(
    'Your rating',
    `<h1>Thank you</h1><p>${QUESTIONS[kind]}</p><p>Your rating: <strong>${outOf(kind, score)}</strong></p>` +
      `<form method="post">${commentField}<button type="submit">Send my rating</button></form>`,
  );
}

/** GET of the comment link: pick a score (preset to the current answer) and write a comment; POSTs to the same URL. */
export function commentPage(kind: SurveyKind, current: number | null): string {
  const { min, max } = SURVEY_SCALES[kind];
  const radios = Array.from({ length: max - min + 1 }, (_, i) => min + i)
    .map((s) => `<label><input type="radio" name="score" value="${s}"${s === current ? ' checked' : ''}> ${s}</label>`)
    .join('');
  return page(
    'Tell us more',
    `<h1>Tell us more</h1><form method="post"><fieldset><legend>${QUESTIONS[kind]} <small>(${SCALE_WORDS[kind]})</small></legend>${radios}</fieldset>` +
      `${commentField}<button type="submit">Send</button></form>`,
  );
}

export function answeredPage(kind: SurveyKind, score: number, outcome: 'recorded' | 'unchanged', changeableUntil: string | null): string {
  const change = changeableUntil ? `<p>Changed your mind? Use another link of the mail until ${escapeHtml(changeableUntil.slice(0, 16).replace('T', ' '))} UTC.</p>` : '';
  return page('Thank you', `<h1>Thank you for your feedback</h1><p>${outcome === 'recorded' ? 'We recorded' : 'We have'} your rating: <strong>${outOf(kind, score)}</strong>.</p>${change}`);
}

/** What a browser sees when a survey link cannot be used. */
export const surveyProblemPage = (problem: PublicProblem) => problemPage(problem, { 410: 'This survey is closed', 409: 'Your answer is already recorded' });
