import { customFieldView } from '../../shared/custom-fields/custom-field-definition';
import { customFieldRepository } from '../../shared/custom-fields/wiring';
import { listCustomFields } from '../../shared/custom-fields/custom-field-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /custom-fields: the tenant's custom field definitions, in key order. */
export const handler = httpHandler({}, async ({ caller }) => json(200, { items: (await listCustomFields(customFieldRepository, caller)).map(customFieldView) }));
