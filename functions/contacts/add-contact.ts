import { addContactInput, contactView } from '../../shared/contacts/contact';
import { contactRepositories } from '../../shared/contacts/wiring';
import { addContact } from '../../shared/contacts/contact-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';

/** POST /customers/{id}/contacts */
export const handler = httpHandler({ body: addContactInput }, async ({ caller, body, pathParameters }) => {
  const contact = await addContact(contactRepositories, caller, pathParameters.id ?? '', body);
  return json(201, contactView(contact), { location: `/customers/${contact.customerId}/contacts/${contact.id}`, etag: `"${contact.version}"` });
});
