/** Text as it may stand in HTML content or a quoted attribute: every character that could open markup becomes a numeric reference. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small self-contained page (inline style, no script, no external resource): what the public links show. */
export function publicPage(title: string, body: string, style = ''): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}textarea{width:100%;min-height:6rem}label{margin-right:.6rem}${style}</style></head><body>${body}</body></html>`
  );
}

export interface PublicProblem {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/**
 * What a browser sees when a public link cannot be used: the problem in words, under the problem's
 * status (the HTTP kit's `htmlErrors`); other clients get the problem+json. Names nothing but the reason.
 */
export function problemPage(problem: PublicProblem, headings: { 409: string; 410: string }): string {
  const heading = problem.status === 410 ? headings[410] : problem.status === 409 ? headings[409] : problem.status === 400 ? 'This did not work' : 'Something went wrong';
  const detail = problem.status >= 500 ? 'Please try again later.' : (problem.errors?.map((e) => e.message).join('. ') ?? problem.detail ?? '');
  const back = problem.status === 400 && problem.errors ? '<p>Go back to the form and try again.</p>' : '';
  return publicPage(heading, `<h1>${heading}</h1><p>${escapeHtml(detail)}</p>${back}`);
}
