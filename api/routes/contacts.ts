import { addContactInput, contactPatch } from '../../shared/contacts/contact';
import { contactResponse } from '../responses/common';
import { WRITERS, customerId, contactIds, notReadable, staleContact, notACompany } from './customers';
import { areaRoutes } from '../route';

/** The contacts of a company customer. */
export const CONTACTS_ROUTES = areaRoutes('contacts', 'stateless', [
  {
    method: 'POST',
    path: '/customers/{id}/contacts',
    auth: 'jwt',
    handler: 'functions/contacts/add-contact.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Add a contact to a company',
      description: `A person at a company customer, stored in the company's item collection (the 360 view shows it). Who: ${WRITERS}.`,
      tags: ['Contacts'],
      pathParameters: customerId,
      requestBody: { schema: addContactInput, description: 'The contact. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Added.', schema: contactResponse, headers: ['Location', 'ETag'] },
      errors: {
        403: `You may read this customer but not change it (\`forbidden\`): only ${WRITERS} may.`,
        404: notReadable,
        409: notACompany,
      },
    },
  },
  {
    method: 'PATCH',
    path: '/customers/{id}/contacts/{contactId}',
    auth: 'jwt',
    handler: 'functions/contacts/update-contact.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Update a contact (JSON Merge Patch)',
      description: `Like the customer's PATCH: \`null\` clears \`title\`, \`emails\` or \`phones\`, consent merges per topic, \`name\` cannot be cleared. Who: ${WRITERS}.`,
      tags: ['Contacts'],
      pathParameters: contactIds,
      requestBody: { schema: contactPatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
      ifMatch: true,
      success: { status: 200, description: 'The contact after the change.', schema: contactResponse, headers: ['ETag'] },
      errors: {
        400: 'The body is not valid JSON (`malformed-request`), fails the schema, or If-Match is not an ETag such as "3" (`validation-failed`).',
        403: `You may read this customer but not change it (\`forbidden\`): only ${WRITERS} may.`,
        404: `${notReadable} Or no such contact at this customer.`,
        409: notACompany,
        412: staleContact,
      },
    },
  },
  {
    method: 'DELETE',
    path: '/customers/{id}/contacts/{contactId}',
    auth: 'jwt',
    handler: 'functions/contacts/remove-contact.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Remove a contact',
      description: `Removes the contact from the company. Who: ${WRITERS}.`,
      tags: ['Contacts'],
      pathParameters: contactIds,
      success: { status: 204, description: 'Removed.' },
      errors: {
        403: `You may read this customer but not change it (\`forbidden\`): only ${WRITERS} may.`,
        404: `${notReadable} Or no such contact at this customer.`,
        409: notACompany,
      },
    },
  },
]);
