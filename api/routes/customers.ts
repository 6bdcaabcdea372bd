import * as z from 'zod/mini';
import { MAX_CUSTOM_FIELDS_BYTES } from '../../shared/custom-fields/custom-field-values';
import { createCustomerInput, customerPatch, LIFECYCLE_STAGES, MAX_EMAILS, MAX_PHONES, MAX_TAGS } from '../../shared/customers/customer';
import { CUSTOMER_PAGE_SIZE } from '../../shared/customers/customer-list-query';
import { mergeCustomersInput } from '../../shared/customers/customer-merge';
import { checkDuplicatesInput, MAX_NAME_MATCHES } from '../../shared/customers/duplicate-check-input';
import { customer360Response, customerPageResponse, customerResponse, duplicateCustomerProblemSchema, duplicateMatchesResponse, staleVersionProblemSchema } from '../responses/common';
import type { ErrorDescription } from '../route-docs';
import { areaRoutes } from '../route';

export const READERS = "Reps see the customers they own; managers their team's and the unowned ones; admins, marketers and agents all customers of their tenant; members of a pool the customers waiting in it (read only).";
export const WRITERS = "the customer's owner, a manager of the owner's team (any manager for an unowned customer) or an admin";
export const customerId = { id: 'Customer id' };
export const contactIds = { id: 'Customer id (a company)', contactId: 'Contact id' };
export const notReadable = 'No such customer in your tenant, or one you may not read: both look the same (`not-found`).';
export const duplicate: ErrorDescription = {
  description:
    'Another customer of the tenant already has one of these emails or phones, or this company domain (`duplicate-customer`). The body names the field, the value, the existing customer and its owner.',
  schema: duplicateCustomerProblemSchema,
};
export const staleCustomer: ErrorDescription = {
  description: 'The customer changed since the version in If-Match (`precondition-failed`); the body names the current version and ETag. Read it again and reapply.',
  schema: staleVersionProblemSchema,
};
export const staleContact: ErrorDescription = {
  description: 'The contact changed since the version in If-Match (`precondition-failed`); the body names the current version and ETag.',
  schema: staleVersionProblemSchema,
};
export const notACompany = 'The customer is a person; contacts belong to company customers (`not-a-company`).';
export const badCustomFields =
  'A custom field is not defined in your tenant or its value does not have the field\'s type (`validation-failed`, path `customFields.<key>`), ' +
  `or the customer's custom fields would exceed ${MAX_CUSTOM_FIELDS_BYTES / 1024} KB (path \`customFields\`).`;

/** Customers: create, read, list, search, edit, merge, find duplicates. */
export const CUSTOMERS_ROUTES = areaRoutes('customers', 'stateless', [
  {
    method: 'POST',
    path: '/customers',
    auth: 'jwt',
    handler: 'functions/customers/create-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Create a customer',
      description:
        'Creates a company or a person (`kind`, default person). Emails, phones and the company domain are unique in the tenant. ' +
        'A rep who creates a customer owns it (it counts toward the customers they own, without a cap); managers and admins create it unassigned (`ownerId` null), to assign it or release it into a pool. ' +
        'Emails are stored lower case, phones as E.164, a website as an http(s) URL (https:// when none is given); a company without `domain` takes its website\'s. ' +
        'Commits `crm.customer.created.v1`.',
      tags: ['Customers'],
      requestBody: { schema: createCustomerInput, description: 'The new customer. Unknown fields are rejected by name.' },
      success: { status: 201, description: 'Created.', schema: customerResponse, headers: ['Location', 'ETag'] },
      errors: { 400: `The body is not valid JSON (\`malformed-request\`) or fails the schema (\`validation-failed\`). ${badCustomFields}`, 409: duplicate },
    },
  },
  {
    method: 'GET',
    path: '/customers',
    auth: 'jwt',
    handler: 'functions/customers/list-customers.ts',
    access: { table: 'read' },
    doc: {
      summary: 'List and search customers',
      description:
        'One page of customers, most recently updated first. Filters combine (AND): `owner` (`me` or a user id), `stage`, `tag`, `updatedFrom`/`updatedTo`, ' +
        '`name` (prefix; case, accents and punctuation ignored; sorted by name), or an exact `email` / `phone` lookup (at most one customer). ' +
        'Each page is one Query on the index that narrows the list most (name > owner > stage > the whole tenant); the other filters apply to that page, ' +
        'so a filtered page may hold fewer than `limit` customers while `cursor` is not null. ' +
        "Reps list their own customers (asking for another owner's answers 403); admins, managers, marketers and agents list the tenant's. Merged and erased customers never appear.",
      tags: ['Customers'],
      queryParameters: {
        owner: { description: '`me` or the user id of an owner.', schema: z.string() },
        stage: { description: 'A lifecycle stage.', schema: z.enum(LIFECYCLE_STAGES) },
        tag: { description: 'Customers carrying this tag (exact).', schema: z.string() },
        updatedFrom: { description: 'Updated at or after this instant (ISO 8601).', schema: z.iso.datetime({ offset: true }) },
        updatedTo: { description: 'Updated at or before this instant (ISO 8601).', schema: z.iso.datetime({ offset: true }) },
        name: { description: 'Name prefix ("acme" finds "ACME Tools GmbH").', schema: z.string() },
        email: { description: 'Exact email (any case).', schema: z.email() },
        phone: { description: 'Exact phone, with its country code.', schema: z.string() },
        limit: {
          description: `Page size, ${CUSTOMER_PAGE_SIZE.default} when absent.`,
          schema: z._default(z.int().check(z.minimum(1), z.maximum(CUSTOMER_PAGE_SIZE.max)), CUSTOMER_PAGE_SIZE.default),
        },
        cursor: { description: "The previous page's `cursor`, to read on. Opaque; only valid for the same list.", schema: z.string() },
      },
      success: { status: 200, description: 'One page of customers.', schema: customerPageResponse },
      errors: {
        400: 'A filter is malformed, `limit` is not a whole number from 1 to 100, both `email` and `phone` are given, or `cursor` is not one this list returned (`validation-failed`, paths `query.<name>`).',
        403: "A rep asked for another owner's customers (`forbidden`).",
      },
    },
  },
  {
    method: 'POST',
    path: '/customers/check-duplicates',
    auth: 'jwt',
    handler: 'functions/customers/check-duplicates.ts',
    access: { table: 'read' },
    doc: {
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
  },
  {
    method: 'GET',
    path: '/customers/{id}',
    auth: 'jwt',
    handler: 'functions/customers/get-customer.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Read a customer',
      description: `${READERS} The ETag is the version to send back in If-Match when editing.`,
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 200, description: 'The customer.', schema: customerResponse, headers: ['ETag'] },
      errors: { 404: notReadable },
    },
  },
  {
    method: 'PATCH',
    path: '/customers/{id}',
    auth: 'jwt',
    handler: 'functions/customers/update-customer.ts',
    access: { table: 'readWrite' },
    doc: {
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
        400: `The body is not valid JSON (\`malformed-request\`), fails the schema, or If-Match is not an ETag such as "3" (\`validation-failed\`). ${badCustomFields}`,
        403: `You may read this customer but not change it (\`forbidden\`): only ${WRITERS} may.`,
        404: notReadable,
        409: duplicate,
        412: staleCustomer,
      },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/360',
    auth: 'jwt',
    handler: 'functions/customers/get-customer-360.ts',
    access: { table: 'read' },
    doc: {
      summary: "A customer's 360° view",
      description:
        'Profile, consent with its evidence, contacts, the ownership history (every change of owner: created, claimed, released, assigned, reclaimed, merged; oldest first), ' +
        'deals, cases and processes (as later releases add them) and the latest 20 activities, ' +
        `from two parallel queries on the customer's item collection. ${READERS}`,
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 200, description: 'Everything about the customer.', schema: customer360Response },
      errors: { 404: notReadable },
    },
  },
  {
    method: 'POST',
    path: '/customers/{id}/merge',
    auth: 'jwt',
    handler: 'functions/customers/merge-customers.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Merge a duplicate into this customer',
      description:
        '`{id}` survives; the customer named by `sourceId` is absorbed. In one transaction the source becomes a tombstone that points at the survivor ' +
        '(it leaves every list and answers 410 `customer-merged` with `mergedInto` and a `Location` from then on), the survivor takes the union of both ' +
        `customers' emails, phones and tags (at most ${MAX_EMAILS}, ${MAX_PHONES} and ${MAX_TAGS}), keeps every field it has set and fills the empty ones ` +
        "from the source (a survivor in the pool takes the source's owner), keeps the more recent consent answer per topic and the later `lastFollowUpAt`; " +
        "the source's uniqueness guards move to the survivor (a company keeps its own domain, the source's is released), both timelines get a `merge` entry " +
        'and `crm.customer.merged.v1` is committed. Then the source\'s contacts, activities, deals and other records move to the survivor, in batches. ' +
        'Resumable: sending the same merge again after the source was merged into this survivor finishes moving any record left behind and answers 200. ' +
        '`If-Match` is optional: when sent, it must name the survivor\'s current version (not checked on such a repeat). ' +
        'Who: admins and managers, or a rep who owns both customers.',
      tags: ['Customers'],
      pathParameters: { id: 'The surviving customer' },
      requestBody: { schema: mergeCustomersInput, description: 'The customer to absorb.' },
      ifMatch: 'optional',
      success: { status: 200, description: 'The survivor after the merge.', schema: customerResponse, headers: ['ETag'] },
      errors: {
        400: 'The body is not valid JSON (`malformed-request`), fails the schema, names the survivor itself as `sourceId`, or If-Match is not an ETag such as "3" (`validation-failed`).',
        403: 'You may read both customers but not merge them (`forbidden`): only an admin, a manager or a rep who owns both may.',
        404: `${notReadable} Either customer.`,
        409:
          'A company and a person cannot be merged (`kind-mismatch`); together they would exceed the limit of a field (`merge-limit-exceeded`, naming `field` and `limit`); ' +
          'or the source was already merged into another customer, or both kept changing meanwhile (`merge-conflict`, with `mergedInto` when known). ' +
          'Of two concurrent merges of one source into different survivors exactly one succeeds, the other answers this.',
        410: 'The survivor itself was merged into another customer (`customer-merged`, see `mergedInto`) or erased (`customer-erased`); an erased source answers this too.',
        412: staleCustomer,
      },
    },
  },
]);
