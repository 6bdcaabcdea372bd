import { httpHandler, json } from '../../shared/http/http-handler';
import { templateView } from '../../shared/templates/email-template';
import { templateRepository } from '../../shared/templates/wiring';
import { getTemplate } from '../../shared/templates/template-use-cases';

/** GET /templates/{id}: any user of the tenant. */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  const template = await getTemplate(templateRepository, caller, pathParameters.id ?? '');
  return json(200, templateView(template), { etag: `"${template.version}"` });
});
