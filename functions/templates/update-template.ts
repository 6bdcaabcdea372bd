import { httpHandler, json } from '../../shared/http/http-handler';
import { TEMPLATE_MAX_BODY_BYTES, templatePatch, templateView } from '../../shared/templates/email-template';
import { templateWriteDeps } from '../../shared/templates/wiring';
import { updateTemplate } from '../../shared/templates/template-use-cases';

/** PATCH /templates/{id}: JSON Merge Patch with If-Match; marketers and admins. */
export const handler = httpHandler({ body: templatePatch, maxBodyBytes: TEMPLATE_MAX_BODY_BYTES }, async ({ caller, body, pathParameters, headers }) => {
  const template = await updateTemplate(templateWriteDeps, caller, pathParameters.id ?? '', body, headers['if-match']);
  return json(200, templateView(template), { etag: `"${template.version}"` });
});
