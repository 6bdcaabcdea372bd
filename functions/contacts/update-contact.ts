import { contactPatch, contactView } from '../../shared/contacts/contact';
import { contactRepositories } from '../../shared/contacts/wiring';
import { updateContact } from '../../shared/contacts/contact-use-cases';
import { httpHandler, json } from '../../shared/http/http-handler';
import { versionFromIfMatch } from '../../shared/http/if-match';

/** PATCH /customers/{id}/contacts/{contactId}: JSON Merge Patch with If-Match. */
export const handler = httpHandler({ body: contactPatch }, async ({ caller, body, pathParameters, headers }) => {
  const contact = await updateContact(contactRepositories, caller, pathParameters.id ?? '', pathParameters.contactId ?? '', body, versionFromIfMatch(headers['if-match']));
  return json(200, contactView(contact), { etag: `"${contact.version}"` });
});
