import * as z from 'zod/mini';
import { customerExportResponse, leadExportResponse } from '../responses/common';
import { PRIVACY_REQUEST_PAGE_SIZE, PRIVACY_REQUEST_TYPES, privacyRequestInput } from '../../shared/privacy/privacy-request';
import { leadId, leadNotFound } from './leads';
import { areaRoutes } from '../route';
import { customerId, notReadable } from './customers';

const privacyRequestResponse = z.object({
  id: z.string(),
  type: z.enum(PRIVACY_REQUEST_TYPES),
  status: z.enum(['running', 'completed']),
  addressKinds: z.array(z.enum(['email', 'phone'])).check(z.describe('Which kinds of address the request named (never the values)')),
  requestedBy: z.string(),
  requestedAt: z.iso.datetime(),
  completedAt: z.nullable(z.iso.datetime()),
  found: z
    .array(z.object({ kind: z.enum(['customer', 'contact', 'lead', 'suppression']), id: z.optional(z.string()), customerId: z.optional(z.string()), done: z.optional(z.boolean()) }))
    .check(z.describe('Every record found holding the address, by kind and id (the suppression entry by kind only); `done` per erasure step')),
  counts: z.object({ customers: z.number(), contacts: z.number(), leads: z.number(), suppression: z.number() }),
  steps: z.nullable(z.object({ total: z.number(), done: z.number() })),
});
const storedList = (what: string) => z.array(z.record(z.string(), z.unknown())).check(z.describe(what));
const privacyRequestCreated = z.object({
  request: privacyRequestResponse,
  export: z.optional(
    z.object({
      customers: z.array(customerExportResponse).check(z.describe('Each customer holding the address, as GET /customers/{id}/export gives it')),
      contacts: storedList('Each contact (a person at a company customer) holding the address, with its customerId'),
      leads: z.array(leadExportResponse).check(z.describe('Each lead holding the address, as GET /leads/{id}/export gives it')),
      suppression: z.nullable(z.object({ suppressed: z.boolean(), since: z.optional(z.string()), reason: z.optional(z.string()) })).check(z.describe('Whether the email is on the suppression list, since when and why (null for a request by phone only)')),
    }),
  ),
});
const privacyRequestId = { id: 'The privacy request (a ULID).' };
const adminsOnly = 'Only an admin handles privacy requests (`forbidden`).';

/** A customer's or a lead's personal data: export it, erase it (docs/privacy.md). */
export const PRIVACY_ROUTES = areaRoutes('privacy', 'stateless', [
  {
    method: 'DELETE',
    path: '/customers/{id}',
    auth: 'jwt',
    handler: 'functions/privacy/erase-customer.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Erase a customer's personal data",
      description:
        "For a data subject's erasure request (GDPR art. 17, CCPA deletion). In one transaction the profile becomes an anonymous tombstone " +
        '(id, kind, lifecycle stage, creation time, who erased it and when; it leaves every list), the uniqueness guards of its emails, phones and domain go ' +
        '(the values can be used again at once) and `crm.customer.erased.v1` is committed. Then every other record of the customer is scrubbed: ' +
        'contacts deleted, activities reduced to type, time and who logged them, stored events deleted. Daily counters stay. ' +
        'Idempotent and resumable: erasing an erased customer finishes any unfinished scrubbing and answers 204 again. ' +
        'Afterwards the customer answers 410 `customer-erased` everywhere. Admins only (a privacy request is handled by the tenant, not by the rep).',
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 204, description: 'Erased (or already erased, and now completely scrubbed).' },
      errors: {
        403: 'Only an admin may erase (`forbidden`).',
        404: notReadable,
        409: 'The customer kept changing while it was being erased (`conflict`); send the DELETE again.',
        410: 'The customer was merged into another (`customer-merged`): its data lives at the survivor named by `mergedInto` (and `location`); erase that one.',
      },
    },
  },
  {
    method: 'GET',
    path: '/customers/{id}/export',
    auth: 'jwt',
    handler: 'functions/privacy/export-customer.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Export everything stored about a customer',
      description:
        "For a data subject's access and portability request (GDPR art. 15 and 20, CCPA right to know): every item of the customer's partition " +
        '(profile with consent evidence, contacts, the whole timeline, outbox events), grouped, without storage keys, as a JSON attachment. Admins only.',
      tags: ['Customers'],
      pathParameters: customerId,
      success: { status: 200, description: 'The export.', schema: customerExportResponse },
      errors: {
        403: 'Only an admin may export (`forbidden`).',
        404: 'No such customer in your tenant (`not-found`).',
        410: 'The customer was erased (`customer-erased`): nothing about them is left to export; or merged into another (`customer-merged`), whose export holds the data.',
      },
    },
  },
  {
    method: 'DELETE',
    path: '/leads/{id}',
    auth: 'jwt',
    handler: 'functions/privacy/erase-lead.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: "Erase a lead's personal data",
      description:
        "For a data subject's erasure request. In one transaction the lead becomes an anonymous tombstone (id, channel, status, creation time, who erased it and when; it leaves every list and search), " +
        'its email and phone guards go (the values can be captured again at once) and `crm.lead.erased.v1` is committed; then every other item of the lead (its signals, its stored events) is deleted, ' +
        'and the suppression list keeps only the hash of its address. Erasing a customer erases the leads holding its emails and phones the same way. Idempotent and resumable: ' +
        'a repeated DELETE finishes what is unfinished and answers 204 again. Afterwards the lead answers 410 `lead-erased` everywhere. Admins only.',
      tags: ['Leads'],
      pathParameters: leadId,
      success: { status: 204, description: 'Erased (or already erased, and now completely scrubbed).' },
      errors: {
        403: 'Only an admin may erase (`forbidden`).',
        404: leadNotFound,
        409: 'The lead kept changing while it was being erased (`conflict`); send the DELETE again.',
      },
    },
  },
  {
    method: 'GET',
    path: '/leads/{id}/export',
    auth: 'jwt',
    handler: 'functions/privacy/export-lead.ts',
    access: { table: 'read' },
    doc: {
      summary: 'Export everything stored about a lead',
      description: "For a data subject's access and portability request: the lead's profile, its signals and its stored events, without storage keys, as a JSON attachment. Admins only.",
      tags: ['Leads'],
      pathParameters: leadId,
      success: { status: 200, description: 'The export.', schema: leadExportResponse },
      errors: {
        403: 'Only an admin may export (`forbidden`).',
        404: leadNotFound,
        410: 'The lead was erased (`lead-erased`): nothing about it is left to export.',
      },
    },
  },
  {
    method: 'POST',
    path: '/privacy/requests',
    auth: 'jwt',
    handler: 'functions/privacy/submit-privacy-request.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'A privacy request by email or phone',
      description:
        "A data subject's access or erasure request by address rather than record id. Finds, by key and never by scanning, every customer (uniqueness guards), lead (lead guards), " +
        'contact (the search index: eventually consistent, about a second behind the table) and suppression list entry holding the email or phone. ' +
        'An `export` answers with them in labelled sections (customers and leads as their own exports give them); an `erasure` erases each (customers with their leads, as DELETE /customers/{id}), ' +
        'deletes the contacts, and keeps only the hash of the suppression entry. The request is stored as its record, without the address. ' +
        'A second erasure of the same person while one runs gets 409 naming it. Admins only.',
      tags: ['Customers'],
      requestBody: { schema: privacyRequestInput, description: '`type` and at least one of `email`, `phone` (international, with country code).' },
      success: { status: 201, description: 'The request as stored (Location names it); for an export also the export.', schema: privacyRequestCreated, headers: ['Location'] },
      errors: {
        400: 'A bad `type`, `email` or `phone`, or neither address (`validation-failed`, naming the field).',
        403: adminsOnly,
        409: 'An erasure of this person is under way (`conflict`, naming its request in `requestId` and `location`): finish it with POST /privacy/requests/{id}/run.',
      },
    },
  },
  {
    method: 'GET',
    path: '/privacy/requests',
    auth: 'jwt',
    handler: 'functions/privacy/list-privacy-requests.ts',
    access: { table: 'read' },
    doc: {
      summary: "The tenant's privacy requests",
      description: 'Newest first, each as GET /privacy/requests/{id} shows it (no personal data). One Query per page. Admins only.',
      tags: ['Customers'],
      queryParameters: {
        limit: { description: `Page size, 1..${PRIVACY_REQUEST_PAGE_SIZE.max} (default ${PRIVACY_REQUEST_PAGE_SIZE.default}).`, schema: z.string() },
        cursor: { description: 'The `cursor` of the previous page.', schema: z.string() },
      },
      success: { status: 200, description: 'A page of requests.', schema: z.object({ items: z.array(privacyRequestResponse), cursor: z.nullable(z.string()) }) },
      errors: { 400: 'A bad `limit` or `cursor` (`validation-failed`).', 403: adminsOnly },
    },
  },
  {
    method: 'GET',
    path: '/privacy/requests/{id}',
    auth: 'jwt',
    handler: 'functions/privacy/get-privacy-request.ts',
    access: { table: 'read' },
    doc: {
      summary: 'A privacy request, as the record of what was done',
      description: 'Type, status, who asked and when, which kinds of address, what was found (kinds and ids, counts) and, for an erasure, which steps are done. No personal data. Admins only.',
      tags: ['Customers'],
      pathParameters: privacyRequestId,
      success: { status: 200, description: 'The request.', schema: privacyRequestResponse },
      errors: { 403: adminsOnly, 404: 'No such privacy request in your tenant (`not-found`).' },
    },
  },
  {
    method: 'POST',
    path: '/privacy/requests/{id}/run',
    auth: 'jwt',
    handler: 'functions/privacy/run-privacy-request.ts',
    access: { table: 'readWrite' },
    doc: {
      summary: 'Finish an erasure that stopped part-way',
      description: 'Runs the steps of a `running` erasure not done yet (each is idempotent), then completes it. A completed request answers as it is. Admins only.',
      tags: ['Customers'],
      pathParameters: privacyRequestId,
      success: { status: 200, description: 'The request, completed.', schema: privacyRequestResponse },
      errors: { 403: adminsOnly, 404: 'No such privacy request in your tenant (`not-found`).' },
    },
  },
]);
