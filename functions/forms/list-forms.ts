import { formRepository } from '../../shared/forms/wiring';
import { listForms } from '../../shared/forms/form-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** GET /forms: the tenant's forms with their keys. */
export const handler = httpHandler({}, async ({ caller }) => json(200, await listForms({ forms: formRepository }, caller)));
