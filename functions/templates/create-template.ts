import { httpHandler, json } from '../../shared/http/http-handler';
import { createTemplateInput, TEMPLATE_MAX_BODY_BYTES, templateView } from '../../shared/templates/email-template';
import { templateWriteDeps } from '../../shared/templates/wiring';
import { createTemplate } from '../../shared/templates/template-use-cases';

/** POST /templates: a marketer or admin stores a template (item + SES v2 template). */
export const handler = httpHandler({ body: createTemplateInput, maxBodyBytes: TEMPLATE_MAX_BODY_BYTES }, async ({ caller, body }) => {
  const template = await createTemplate(templateWriteDeps, caller, body);
  return json(201, templateView(template), { etag: `"${template.version}"`, location: `/templates/${template.id}` });
});
