import { createFormInput } from '../../shared/forms/form';
import { formSubmissionInput } from '../../shared/leads/lead';
import { areaRoutes } from '../route';

/** The public web forms that capture leads (docs/leads.md). */
export const FORMS_ROUTES = areaRoutes('forms', 'sales', [
  {
    method: 'POST',
    path: '/forms',
    auth: 'jwt',
    handler: 'functions/forms/create-form.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create a public web form',
      description: 'Answers the form with its `formKey` (`<tenant>.<192 random bits>`) to embed in a page. Admins and marketers.',
      tags: ['Forms'],
      requestBody: { schema: createFormInput, description: 'Name, default source, per-IP rate limit, honeypot field name.' },
      success: { status: 201, description: 'The form with its key.' },
      errors: { 403: 'Admins and marketers only (`forbidden`).' },
    },
  },
  {
    method: 'GET',
    path: '/forms',
    auth: 'jwt',
    handler: 'functions/forms/list-forms.ts',
    access: { table: 'read' },
    doc: {
      summary: "List the tenant's forms",
      description: 'Oldest first, with keys and honeypot counts. Admins and marketers.',
      tags: ['Forms'],
      success: { status: 200, description: '`{items}`.' },
      errors: { 403: 'Admins and marketers only (`forbidden`).' },
    },
  },
  {
    method: 'POST',
    path: '/forms/{formKey}/submit',
    auth: 'none',
    publicBecause: 'The web-form endpoint is public by design (visitors have no account): the unguessable form key names the tenant, a per-IP limit and a honeypot guard it (docs/leads.md).',
    handler: 'functions/forms/submit-form.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Submit a web form (public)',
      description:
        'No account needed. Limited per source IP and minute (the form\'s `rateLimitPerMinute`, across all instances). A filled honeypot field answers 200 like any submission and stores nothing but a count. ' +
        'The same capture as `POST /leads` follows (matching customers, an existing lead with the same email gets a `form-submitted` signal); the answer never tells which happened.',
      tags: ['Forms'],
      pathParameters: { formKey: 'The key `POST /forms` returned' },
      requestBody: { schema: formSubmissionInput, description: 'The lead fields of `POST /leads` (email or phone required); other fields, the honeypot among them, are accepted and not stored.' },
      success: { status: 200, description: '`{status: "received"}`.' },
      errors: { 404: 'No such form (`not-found`).', 429: 'Too many submissions from this address this minute (`rate-limited`, `retryAfterSeconds`).' },
    },
  },
]);
