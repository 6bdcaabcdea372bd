import { httpHandler, json } from '../../shared/http/http-handler';
import { previewTemplateInput } from '../../shared/templates/email-template';
import { templatePreviewDeps } from '../../shared/templates/wiring';
import { previewTemplate } from '../../shared/templates/template-preview-use-case';

/** POST /templates/{id}/preview {customerId, contactId?}: rendered as SES would send it to that customer. */
export const handler = httpHandler({ body: previewTemplateInput }, async ({ caller, body, pathParameters }) =>
  json(200, await previewTemplate(templatePreviewDeps, caller, pathParameters.id ?? '', body)),
);
