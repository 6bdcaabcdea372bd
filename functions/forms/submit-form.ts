import * as z from 'zod/mini';
import { formDeps } from '../../shared/forms/wiring';
import { submitForm } from '../../shared/forms/form-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/**
 * POST /forms/{formKey}/submit, public. Any JSON object is taken in: the use case rate-limits and
 * checks the honeypot before it validates, and answers alike for every accepted submission: 200
 * for a lead form, 201 with the case id as the visitor's `reference` for a case form.
 */
export const handler = httpHandler({ authenticated: false, body: z.record(z.string(), z.unknown()), maxBodyBytes: 16 * 1024 }, async ({ body, pathParameters, sourceIp, requestId }) => {
  const { reference } = await submitForm(formDeps, pathParameters.formKey, sourceIp, body, requestId);
  return reference ? json(201, { status: 'received', reference }) : json(200, { status: 'received' });
});
