import * as z from 'zod/mini';
import { caseFormSubmission, createFormInput } from '../../shared/forms/form';
import { formSubmissionInput } from '../../shared/leads/lead';
import { areaRoutes } from '../route';

/** The public web forms that capture leads (docs/leads.md) or open service cases (docs/service.md, "Cases from web forms"). */
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
      requestBody: {
        schema: createFormInput,
        description: 'Name, purpose (`lead`, the default, or `case`), a case form\'s categories, default source, per-IP rate limit, honeypot field name, `thankYouUrl` (https; http only for localhost) where a plain HTML post is sent on with a 303.',
      },
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
      description: 'Oldest first, with keys, purposes (forms made before purposes are `lead` forms) and honeypot counts. Admins and marketers.',
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
    // Double opt-in: the confirmation mail and its signed link (docs/leads.md#double-opt-in).
    access: { table: 'readWrite', mail: 'send', unsubscribeSecret: 'read' },
    doc: {
      summary: 'Submit a web form (public)',
      description:
        'No account needed. Limited per source IP and minute (the form\'s `rateLimitPerMinute`, across all instances). A filled honeypot field answers like any submission (a case form: with a made-up reference) and stores nothing but a count. ' +
        'A lead form: the same capture as `POST /leads` follows (matching customers, an existing lead with the same email gets a `form-submitted` signal); the answer never tells which happened. ' +
        'A case form (`purpose: case`): the strict case fields open a case in the queue (channel `web`, priority `low` or `normal`, a category the form offers) for the customer holding the address or a new person; ' +
        'the answer is 201 with the case id as `reference`, and the same submission again within 10 minutes answers with the same reference. ' +
        'A plain HTML `<form method="post">` (`application/x-www-form-urlencoded`) is answered 303 to the form\'s `thankYouUrl` (a case form\'s with `?reference=<case id>`), or with a small thank-you page when it has none; ' +
        'its consent checkboxes are `consent.<topic>=on` (a hidden `off` before the box records a refusal), nested fields `utm.<key>`. A browser that asks for HTML gets errors as a page, under the same status (docs/leads.md#html-forms).',
      tags: ['Forms'],
      pathParameters: { formKey: 'The key `POST /forms` returned' },
      requestBody: {
        schema: z.union([formSubmissionInput, caseFormSubmission]),
        description:
          'A lead form: the lead fields of `POST /leads` (email or phone required); other fields, the honeypot among them, are accepted and not stored. ' +
          'A case form: `{email, subject, description, name?, category?, priority?}` and the honeypot field, nothing else. ' +
          'Either as JSON or as a plain HTML form post (fields by name, as strings).',
        formEncoded: true,
      },
      seeOther: 'A plain HTML form post: on to the form\'s `thankYouUrl` (a case form\'s with `?reference=`).',
      success: { status: 200, description: 'A lead form: `{status: "received"}`.' },
      alsoSuccess: { status: 201, description: 'A case form: `{status: "received", reference}`, the case id to quote.', schema: z.object({ status: z.literal('received'), reference: z.string() }) },
      errors: { 400: 'A field is missing or wrong (`validation-failed`, naming each field).', 404: 'No such form (`not-found`).', 429: 'Too many submissions from this address this minute (`rate-limited`, `retryAfterSeconds`).' },
    },
  },
]);
