import { customFieldView, defineCustomFieldInput } from '../../shared/custom-fields/custom-field-definition';
import { customFieldRepository } from '../../shared/custom-fields/wiring';
import { defineCustomField } from '../../shared/custom-fields/custom-field-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /custom-fields: an admin defines a typed custom field for the tenant's customers. */
export const handler = httpHandler({ body: defineCustomFieldInput }, async ({ caller, body }) => {
  const definition = await defineCustomField(customFieldRepository, caller, body);
  return json(201, customFieldView(definition));
});
