import { createFormInput } from '../../shared/forms/form';
import { formRepository } from '../../shared/forms/wiring';
import { createForm } from '../../shared/forms/form-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /forms: a new public form and its key. */
export const handler = httpHandler({ body: createFormInput }, async ({ caller, body }) => json(201, await createForm({ forms: formRepository }, caller, body)));
