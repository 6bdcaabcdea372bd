import { escapeHtml, problemPage, type PublicProblem, publicPage } from '../html';

/**
 * What a browser sees after a plain HTML post to a form without a thank-you URL, and when its post
 * is refused (the HTTP kit's `htmlErrors`). Names nothing of the tenant or of anyone known.
 */
export function formThankYouPage(reference: string | undefined): string {
  const quote = reference ? `<p>Your reference: <strong>${escapeHtml(reference)}</strong></p>` : '';
  return publicPage('Thank you', `<h1>Thank you</h1><p>We received your message.</p>${quote}`);
}

export const formProblemPage = (problem: PublicProblem) => problemPage(problem, { 409: 'This did not work', 410: 'This form is closed' });
