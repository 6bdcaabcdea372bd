import * as z from 'zod/mini';
import type { RouteMethod } from '../../infra/api-routes';
import { logActivityInput, MAX_FUTURE_SKEW_MS } from '../activities/activity';
import { addContactInput, contactPatch } from '../contacts/contact';
import { addressSchema, createCustomerInput, customerPatch } from '../customers/customer';
import { ACTIVITY_PAGE_SIZE } from '../activities/activity';
import { checkDuplicatesInput, MAX_NAME_MATCHES } from '../customers/duplicate-check-input';
import { consentInput, domain, email, phone, website } from '../customers/fields';
import {
  activityPageResponse,
  activityResponse,
  consentRecord,
  contactResponse,
  customer360Response,
  customerExportResponse,
  customerResponse,
  duplicateCustomerProblemSchema,
  duplicateMatchesResponse,
  fieldErrorSchema,
  gatewayErrorSchema,
  healthResponse,
  openApiResponse,
  problemDetailsSchema,
  staleVersionProblemSchema,
} from './api-responses';

/**
 * The documentation of every route in `API_ROUTES` (infra/api-routes.ts): what the route table does
 * not say. Request bodies are the schemas the handlers validate with, imported, never copied.
 * `buildOpenApiDocument` (openapi.ts) joins the two tables and throws for a route without an entry
 * here, so a new route cannot ship undocumented.
 *
 * Errors every route of a kind can answer are added by the builder, not listed here: 401 on JWT
 * routes, 400/413/415 on routes with a body, 428 on routes that need If-Match, 500 everywhere.
 * An entry here replaces the generic description of that status for its route.
 */

/** `METHOD /path`, as API Gateway writes route keys. */
export type RouteKey = `${RouteMethod} /${string}`;

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 428;

export const API_TAGS = {
  System: 'Liveness and this description.',
  Customers: 'Companies and persons a tenant sells to or serves.',
  Activities: "A customer's timeline: notes, calls, visits, purchases...",
  Contacts: 'People at a company customer.',
} as const;
export type ApiTag = keyof typeof API_TAGS;

export interface ParameterDescription {
  description: string;
  /** Documentation only: the handler parses query strings itself. */
  schema: z.ZodMiniType;
  required?: boolean;
}

export interface ErrorDescription {
  description: string;
  /** problem+json body; ProblemDetails unless given. */
  schema?: z.ZodMiniType;
}

export interface RouteDescription {
  summary: string;
  description: string;
  tags: readonly ApiTag[];
  /** Every `{name}` of the path, with its meaning. */
  pathParameters?: Readonly<Record<string, string>>;
  queryParameters?: Readonly<Record<string, ParameterDescription>>;
  requestBody?: {
    /** The very schema the handler passes to `httpHandler({ body })`. */
    schema: z.ZodMiniType;
    description: string;
    /** JSON Merge Patch (RFC 7396): documented as `application/merge-patch+json` too. */
    mergePatch?: boolean;
  };
  /** The route answers 428 without `If-Match` and 412 when it names an old version. */
  ifMatch?: boolean;
  success: {
    status: 200 | 201 | 204;
    description: string;
    schema?: z.ZodMiniType;
    headers?: readonly ('ETag' | 'Location')[];
  };
  errors?: Partial<Record<ErrorStatus, string | ErrorDescription>>;
}

const READERS = 'Reps see the customers they own; admins, managers, marketers and agents see all customers of their tenant.';
const WRITERS = "the customer's owner, a manager or an admin";
const customerId = { id: 'Customer id' };
const contactIds = { id: 'Customer id (a company)', contactId: 'Contact id' };
const notReadable = 'No such customer in your tenant, or one you may not read: both look the same (`not-found`).';
const duplicate: ErrorDescription = {
  description:
    'Another customer of the tenant already has one of these emails or phones, or this company domain (`duplicate-customer`). The body names the field, the value, the existing customer and its owner.',
  schema: duplicateCustomerProblemSchema,
};
const staleCustomer: ErrorDescription = {
  description: 'The customer changed since the version in If-Match (`precondition-failed`); the body names the current version and ETag. Read it again and reapply.',
  schema: staleVersionProblemSchema,
};
const staleContact: ErrorDescription = {
  description: 'The contact changed since the version in If-Match (`precondition-failed`); the body names the current version and ETag.',
  schema: staleVersionProblemSchema,
};
const notACompany = 'The customer is a person; contacts belong to company customers (`not-a-company`).';


export const API_DESCRIPTION: Readonly<Record<RouteKey, RouteDescription>> = {
  'GET /health': {
    summary: 'Liveness',
    description: 'Touches no dependency, so it answers while the database or the bus are down. No token needed.',
    tags: ['System'],
    success: { status: 200, description: 'The API is up.', schema: healthResponse },
  },
  'GET /openapi.json': {
    summary: 'This API description',
    description: 'The OpenAPI 3.1 document, generated from the route table and the request schemas the handlers validate with. No token needed.',
    tags: ['System'],
    success: { status: 200, description: 'The OpenAPI document.', schema: openApiResponse },
  },
  'POST /customers': {
    summary: 'Create a customer',
    description:
      'Creates a company or a person (`kind`, default person). Emails, phones and the company domain are unique in the tenant. ' +
      'A rep who creates a customer owns it; managers and admins create it into the pool (`ownerId` null). ' +
      'Emails are stored lower case, phones as E.164, a website as an http(s) URL (https:// when none is given); a company without `domain` takes its website\'s. ' +
      'Commits `crm.customer.created.v1`.',
    tags: ['Customers'],
    requestBody: { schema: createCustomerInput, description: 'The new customer. Unknown fields are rejected by name.' },
    success: { status: 201, description: 'Created.', schema: customerResponse, headers: ['Location', 'ETag'] },
    errors: { 409: duplicate },
  },
  'POST /customers/check-duplicates': {
    summary: 'Find possible duplicates before creating a customer',
    description:
      'Who in the tenant might already be this customer: exact matches on emails, phones and domain, and name-prefix matches ' +
      `(case, accents and punctuation ignored; at most ${MAX_NAME_MATCHES}).` +
      ' Answers ids, names, kinds and owners only, never contact data. Any signed-in user.',
    tags: ['Customers'],
    requestBody: { schema: checkDuplicatesInput, description: 'At least one of emails, phones, domain, name.' },
    success: { status: 200, description: 'The possible duplicates, best match first (empty when none).', schema: duplicateMatchesResponse },
    errors: { 400: 'The body is not valid JSON (`malformed-request`), fails the schema, or names none of emails, phones, domain, name (`validation-failed`).' },
  },
  'GET /customers/{id}': {
    summary: 'Read a customer',
    description: `${READERS} The ETag is the version to send back in If-Match when editing.`,
    tags: ['Customers'],
    pathParameters: customerId,
    success: { status: 200, description: 'The customer.', schema: customerResponse, headers: ['ETag'] },
    errors: { 404: notReadable },
  },
  'PATCH /customers/{id}': {
    summary: 'Update a customer (JSON Merge Patch)',
    description:
      'A field present replaces the stored value, `null` clears an optional field, a missing field stays as it is; consent topics merge one by one. ' +
      '`name` cannot be cleared and `kind` cannot change. A patch that changes nothing answers the customer unchanged, at the same version. ' +
      `Commits \`crm.customer.updated.v1\` (and \`crm.customer.stage-changed.v1\` when \`lifecycleStage\` changes). Who: ${WRITERS}.`,
    tags: ['Customers'],
    pathParameters: customerId,
    requestBody: { schema: customerPatch, description: 'The changes. Unknown fields are rejected by name.', mergePatch: true },
    ifMatch: true,
    success: { status: 200, description: 'The customer after the change.', schema: customerResponse, headers: ['ETag'] },
    errors: {
      400: 'The body is not valid JSON (`malformed-request`), fails the schema, or If-Match is not an ETag such as "3" (`validation-failed`).',
      403: `You may read this customer but not change it (\`forbidden\`): only ${WRITERS} may.`,
      404: notReadable,
      409: duplicate,
      412: staleCustomer,
    },
  },
  'GET /customers/{id}/360': {
    summary: "A customer's 360° view",
    description:
      'Profile, consent with its evidence, contacts, deals, ownership history, cases and processes (as later releases add them) and the latest 20 activities, ' +
      `from two parallel queries on the customer's item collection. ${READERS}`,
    tags: ['Customers'],
    pathParameters: customerId,
    success: { status: 200, description: 'Everything about the customer.', schema: customer360Response },
    errors: { 404: notReadable },
  },
  'GET /customers/{id}/export': {
    summary: 'Export everything stored about a customer',
    description:
      "For a data subject's access and portability request (GDPR art. 15 and 20, CCPA right to know): every item of the customer's partition " +
      '(profile with consent evidence, contacts, the whole timeline, outbox events), grouped, without storage keys, as a JSON attachment. Admins only.',
    tags: ['Customers'],
    pathParameters: customerId,
    success: { status: 200, description: 'The export.', schema: customerExportResponse },
    errors: { 403: 'Only an admin may export (`forbidden`).', 404: 'No such customer in your tenant (`not-found`).' },
  },
  'POST /customers/{id}/activities': {
    summary: 'Log an activity',
    description:
      `Anyone who may read the customer may log what happened with them. \`occurredAt\` defaults to now and may not lie in the future (${MAX_FUTURE_SKEW_MS / 60_000} minutes of clock skew are tolerated). ` +
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

/**
 * Schemas that become `components.schemas` under these names (the rest are inlined). A request
 * or response schema of the table that is not named here is named after its route's function.
 */
export const NAMED_SCHEMAS: readonly (readonly [string, z.ZodMiniType])[] = [
  ['CreateCustomerInput', createCustomerInput],
  ['CustomerPatch', customerPatch],
  ['CheckDuplicatesInput', checkDuplicatesInput],
  ['LogActivityInput', logActivityInput],
  ['AddContactInput', addContactInput],
  ['ContactPatch', contactPatch],
  ['Address', addressSchema],
  ['ConsentRecord', consentRecord],
  ['Customer', customerResponse],
  ['Customer360', customer360Response],
  ['CustomerExport', customerExportResponse],
  ['DuplicateMatches', duplicateMatchesResponse],
  ['Contact', contactResponse],
  ['Activity', activityResponse],
  ['ActivityPage', activityPageResponse],
  ['Health', healthResponse],
  ['OpenApiDocument', openApiResponse],
  ['ProblemDetails', problemDetailsSchema],
  ['FieldError', fieldErrorSchema],
  ['DuplicateCustomerProblem', duplicateCustomerProblemSchema],
  ['StaleVersionProblem', staleVersionProblemSchema],
  ['GatewayError', gatewayErrorSchema],
];

/**
 * What the field schemas in shared/customers/fields.ts accept, for readers of the document. Kept
 * here so documenting does not touch the schemas; applied wherever the schema appears.
 */
export const FIELD_NOTES: ReadonlyMap<z.core.$ZodType, Readonly<Record<string, unknown>>> = new Map<z.core.$ZodType, Record<string, unknown>>([
  [email, { description: 'Stored trimmed and lower case.' }],
  [phone, { description: 'An international number with its country code; stored as E.164.', examples: ['+49 30 1234567', '0044 20 7946 0018'] }],
  [website, { description: 'A website as people type it; stored as an http(s) URL (https:// is assumed).', examples: ['acme.example', 'https://acme.example/about'] }],
  [domain, { description: 'A web domain or a website; stored as the lower-case host.', examples: ['acme.example'] }],
  [consentInput, { description: 'Topic (a slug such as `marketing`) -> opted in (true) or out (false). Topics merge one by one.', examples: [{ marketing: true }] }],
]);
