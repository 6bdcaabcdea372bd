import * as z from 'zod/mini';
import { formDeps } from '../../shared/forms/wiring';
import { formProblemPage, formThankYouPage } from '../../shared/forms/form-page';
import { submitForm } from '../../shared/forms/form-use-cases';
import { httpHandler, isHtmlFormPost, json, requestOrigin, seeOther } from '../../shared/http/http-handler';
import { htmlPage } from '../../shared/http/html-page';

/**
 * POST /forms/{formKey}/submit, public. Any JSON object or HTML form is taken in: the use case
 * rate-limits and checks the honeypot before it validates. JSON: 200 for a lead form, 201 with the
 * case id as `reference` for a case form. A page's plain form: 303 to the form's thank-you URL, or a page.
 */
export const handler = httpHandler(
  { authenticated: false, body: z.record(z.string(), z.unknown()), form: 'or-json', htmlErrors: formProblemPage, maxBodyBytes: 16 * 1024 },
  async ({ body, pathParameters, sourceIp, requestId, headers }) => {
    const htmlForm = isHtmlFormPost(headers);
    const { reference, thankYou } = await submitForm(formDeps, pathParameters.formKey, sourceIp, body, requestId, { htmlForm, origin: requestOrigin(headers) });
    if (htmlForm) return thankYou ? seeOther(thankYou) : htmlPage(formThankYouPage(reference));
    return reference ? json(201, { status: 'received', reference }) : json(200, { status: 'received' });
  },
);
