import { contactRepositories } from '../../shared/contacts/wiring';
import { removeContact } from '../../shared/contacts/contact-use-cases';
import { httpHandler } from '../../shared/http/http-handler';

/** DELETE /customers/{id}/contacts/{contactId} */
export const handler = httpHandler({}, async ({ caller, pathParameters }) => {
  await removeContact(contactRepositories, caller, pathParameters.id ?? '', pathParameters.contactId ?? '');
  return { statusCode: 204 };
});
