import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';
import { assertCanWriteTemplates, TEMPLATE_MAX_BODY_BYTES, templatePatch, templateView } from '../../shared/templates/email-template';
import { templateWriteDeps } from '../../shared/templates/wiring';
import { updateTemplate } from '../../shared/templates/template-use-cases';

/** PATCH /templates/{id}: JSON Merge Patch with If-Match; marketers and admins. */
export const handler = httpHandler({ body: templatePatch, maxBodyBytes: TEMPLATE_MAX_BODY_BYTES }, async ({ caller, body, pathParameters, headers }) => {
  assertCanWriteTemplates(caller); // 403 before any If-Match complaint, as always
  const template = await updateTemplate(templateWriteDeps, caller, pathParameters.id ?? '', body, versionFromIfMatch(headers['if-match']));
  return json(200, templateView(template), { etag: `"${template.version}"` });
});
