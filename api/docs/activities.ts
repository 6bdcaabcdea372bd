import * as z from 'zod/mini';
import { ACTIVITY_PAGE_SIZE, logActivityInput, MAX_FUTURE_SKEW_MS } from '../../shared/activities/activity';
import { addContactInput, contactPatch } from '../../shared/contacts/contact';

import { activityPageResponse, activityResponse, contactResponse } from '../responses/common';
import type { RouteDescription, RouteKey } from '../route-docs';
import { READERS, WRITERS, customerId, contactIds, notReadable, staleContact, notACompany } from './customers';

/** A customer's activities and contacts. */
export const TIMELINE_ROUTES: Readonly<Record<RouteKey, RouteDescription>> = {
  'POST /customers/{id}/activities': {
    summary: 'Log an activity',
    description:
      `Anyone who may read the customer may log what happened with them, except members of its pool who see it there (they claim it first). \`occurredAt\` defaults to now and may not lie in the future (${MAX_FUTURE_SKEW_MS / 60_000} minutes of clock skew are tolerated). ` +
      "A user's note, call, email, meeting or visit moves the customer's `lastFollowUpAt` forward (never back). Commits `crm.activity.logged.v1`.",
    tags: ['Activities'],
    pathParameters: customerId,
    requestBody: { schema: logActivityInput, description: 'The activity. `payload` holds small structured facts (at most 8 KB of JSON).' },
    success: { status: 201, description: 'Logged.', schema: activityResponse },
    errors: {
      400: 'The body is not valid JSON (`malformed-request`), fails the schema, or `occurredAt` lies in the future (`validation-failed`).',
      404: notReadable,
    },
  },
  'GET /customers/{id}/activities': {
    summary: "A customer's timeline",
    description: `Newest first by \`occurredAt\`, one page at a time. ${READERS}`,
    tags: ['Activities'],
    pathParameters: customerId,
    queryParameters: {
      limit: {
        description: `Page size, ${ACTIVITY_PAGE_SIZE.default} when absent.`,
        schema: z._default(z.int().check(z.minimum(1), z.maximum(ACTIVITY_PAGE_SIZE.max)), ACTIVITY_PAGE_SIZE.default),
      },
      cursor: {
        description: "The previous page's `cursor`, to read on. Opaque; only valid for the customer it came from.",
        schema: z.string(),
      },
    },
    success: { status: 200, description: 'One page of the timeline.', schema: activityPageResponse },
    errors: {
      400: '`limit` is not a whole number from 1 to 100, or `cursor` is not one this list returned (`validation-failed`, paths `query.limit`, `query.cursor`).',
      404: notReadable,
    },
  },
  'POST /customers/{id}/contacts': {
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
  'PATCH /customers/{id}/contacts/{contactId}': {
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
  'DELETE /customers/{id}/contacts/{contactId}': {
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
};
